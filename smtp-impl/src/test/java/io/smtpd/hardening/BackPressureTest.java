package io.smtpd.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;

/**
 * A client that pipelines commands without ever reading the replies (CLI.md: back-pressure): the server stops reading
 * from it while its unsent replies exceed a small buffer, so its memory stays bounded; once the client reads, every
 * reply arrives, in order, and the session goes on.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BackPressureTest {
    /**
     * Commands sent without reading: 6 MB of {@code HELP}, whose replies (about 90 MB) far exceed what socket buffers
     * hold; a server without back-pressure would read them all and queue every reply in its heap.
     */
    private static final int COMMANDS = 1_000_000;

    @Test
    void aClientThatDoesNotReadIsNotReadFromAndGetsAllItsRepliesLater() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer server = TestServers.start(handler);
             SmtpWire c = new SmtpWire(server.localAddress(), s -> {
                 try {
                     s.setReceiveBufferSize(8192);
                     s.setSendBufferSize(8192);
                 } catch (IOException e) {
                     throw new IllegalStateException(e);
                 }
             })) {
            c.hello();
            String help = c.command("HELP");
            assertTrue(help.startsWith("250 ") && !help.contains("\r\n"), "HELP should answer one line: " + help);
            long baseline = Attack.usedHeapAfterGc();

            byte[] block = "HELP\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
            AtomicLong written = new AtomicLong();
            OutputStream out = c.socket().getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < COMMANDS / 10_000; i++) {
                        out.write(block);
                        written.addAndGet(block.length);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, Attack.blocking());

            // the writer must stall: the server stopped reading because this client does not read
            long last = -1;
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(2)) {
                assertFalse(writer.isDone(), "the server read all " + COMMANDS
                        + " commands of a client that reads no reply: no back-pressure");
                assertTrue(System.nanoTime() < deadline, "the writer never settled");
                long now = written.get();
                if (now != last) {
                    last = now;
                    quietSince = System.nanoTime();
                }
                Thread.sleep(50);
            }
            assertTrue(written.get() < (long) COMMANDS * 6, "all written");
            Attack.assertHeapGrewLessThan(baseline, 32L * 1024 * 1024, "while a client reads no reply");

            // now read: every reply comes, in order, and then the session goes on
            long replies = countReplies(c.socket().getInputStream(), COMMANDS, help);
            writer.get(60, TimeUnit.SECONDS);
            assertEquals(COMMANDS, replies);
            // (the buffered reader of c held nothing when the replies were read raw, and they were read exactly)
            Attack.transactionWorks(c, handler);
        }
    }

    /** Reads {@code expected} replies, each the same single line as {@code help}, from the raw stream. */
    private static long countReplies(InputStream raw, int expected, String help) throws IOException {
        byte[] line = (help + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[256 * 1024];
        long count = 0;
        int at = 0; // position within the expected line
        while (count < expected) {
            int n = raw.read(buffer, 0, (int) Math.min(buffer.length, (expected - count) * line.length - at));
            if (n < 0) {
                throw new IOException("closed after " + count + " replies");
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] != line[at]) {
                    throw new AssertionError("reply " + count + " differs at octet " + at);
                }
                if (++at == line.length) {
                    at = 0;
                    count++;
                }
            }
        }
        return count;
    }
}
