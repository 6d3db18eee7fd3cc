package io.smtpd.itest;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until a deadline: the tests never sleep for a fixed time. */
public final class Await {
    /** How long a test waits for something the container does asynchronously. */
    public static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Waits until {@code condition} holds; fails with {@code what} at the deadline. */
    public static void until(String what, BooleanSupplier condition) {
        value(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** Waits until {@code probe} returns a value other than {@code null}, and returns it. */
    public static <T> T value(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after " + DEADLINE.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
