package io.smtpd.impl.protocol;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The idle timeout of one session. Touching it is a field write, so that a line costs no scheduling; one task per
 * session waits for the deadline and reschedules itself when there was activity in between.
 */
final class IdleTimer {
    private final ScheduledExecutorService scheduler;
    private final long timeoutNanos;
    private final Connection connection;
    private final Runnable onTimeout;
    private volatile long lastActivity;
    private volatile boolean cancelled;
    private ScheduledFuture<?> pending;

    IdleTimer(ScheduledExecutorService scheduler, long timeoutNanos, Connection connection, Runnable onTimeout) {
        this.scheduler = scheduler;
        this.timeoutNanos = timeoutNanos;
        this.connection = connection;
        this.onTimeout = onTimeout;
    }

    void start() {
        touch();
        schedule(timeoutNanos);
    }

    void touch() {
        lastActivity = System.nanoTime();
    }

    void cancel() {
        cancelled = true;
        ScheduledFuture<?> p = pending;
        if (p != null) {
            p.cancel(false);
        }
    }

    private void schedule(long delayNanos) {
        if (cancelled) {
            return;
        }
        try {
            pending = scheduler.schedule(this::fire, Math.max(delayNanos, 1_000_000L), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the server is stopping; it closes the session itself
        }
    }

    private void fire() {
        if (cancelled) {
            return;
        }
        long idle = System.nanoTime() - lastActivity;
        if (idle >= timeoutNanos) {
            connection.execute(onTimeout);
        } else {
            schedule(timeoutNanos - idle);
        }
    }
}
