package io.smtpd.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RecordingHandler;

/** What every attack is followed by: the server still serves, on a new connection and on the same one. */
final class Attack {
    private static final AtomicLong SERIAL = new AtomicLong();

    private Attack() {
    }

    /** A normal transaction on a new connection is accepted and delivered exactly as sent. */
    static void normalTransactionWorks(SmtpServer server, RecordingHandler handler) throws IOException {
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            transactionWorks(c, handler);
            assertEquals(221, c.send("QUIT").code());
        }
    }

    /** A normal transaction on {@code c} (greeted, after EHLO, between transactions) is accepted and delivered. */
    static void transactionWorks(SmtpWire c, RecordingHandler handler) throws IOException {
        int before = handler.messages().size();
        String subject = "normal " + SERIAL.incrementAndGet();
        String reply = c.transaction("sender@example.com", "rcpt@example.com",
                "Subject: " + subject + "\r\n\r\nstill works\r\n..dot-stuffed line");
        assertEquals("250 OK", reply, "a normal transaction after the attack");
        assertEquals(before + 1, handler.messages().size(), "exactly one more message delivered");
        RecordingHandler.Message m = handler.messages().get(before);
        assertEquals("sender@example.com", m.mailFrom());
        assertEquals(java.util.List.of("rcpt@example.com"), m.rcptTos());
        assertEquals("Subject: " + subject + "\r\n\r\nstill works\r\n.dot-stuffed line\r\n", m.text());
    }

    /**
     * Runs blocking work (a socket write that stalls, a stop() that waits) on a thread of its own: the common pool may
     * have as few threads as there are blocked tasks.
     */
    static Executor blocking() {
        return task -> {
            Thread thread = new Thread(task, "hardening-blocking");
            thread.setDaemon(true);
            thread.start();
        };
    }

    /** Polls until the server has no session left (every connection of the attack was processed and closed). */
    static void awaitNoSessions(SmtpServer server, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (server.openSessions() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(server.openSessions() + " sessions still open after " + millis + " ms");
            }
            Thread.sleep(10);
        }
    }

    /** Heap in use after a full collection (System.gc() is a full stop-the-world collection with G1). */
    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static void assertHeapGrewLessThan(long baseline, long limitBytes, String what) {
        long grown = usedHeapAfterGc() - baseline;
        assertTrue(grown < limitBytes, what + ": heap grew by " + grown / (1024 * 1024) + " MiB, limit "
                + limitBytes / (1024 * 1024) + " MiB");
    }
}
