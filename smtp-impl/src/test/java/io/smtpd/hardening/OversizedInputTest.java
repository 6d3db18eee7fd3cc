package io.smtpd.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;

/**
 * Input of any length keeps memory bounded (issue 6, item 1): an endless DATA line, megabytes of garbage before EHLO,
 * a command line of a megabyte. Each is answered as CLI.md says, and a normal transaction works afterwards, on the same
 * connection when the session survives and on a new one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OversizedInputTest {
    private static final int MIB = 1024 * 1024;
    /** Heap growth that would show the server holding an attack's bytes (they are 10 to 50 MiB). */
    private static final long HEAP_LIMIT = 24L * MIB;

    private RecordingHandler handler;
    private SmtpServer server;

    @BeforeEach
    void start() {
        handler = new RecordingHandler();
        server = TestServers.start(handler);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aFiftyMegabyteDataLineWithoutLfKeepsTheHeapBoundedAndIsRefusedWith500() throws Exception {
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            c.expect("MAIL FROM:<a@example.com>", 250);
            c.expect("RCPT TO:<b@example.com>", 250);
            c.expect("DATA", 354);
            byte[] chunk = new byte[MIB];
            Arrays.fill(chunk, (byte) 'x');
            long baseline = Attack.usedHeapAfterGc();
            OutputStream out = c.socket().getOutputStream();
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
                if (i == 40) { // the server has read most of it by now (the rest is in socket buffers)
                    Attack.assertHeapGrewLessThan(baseline, HEAP_LIMIT, "40 MiB into one DATA line");
                }
            }
            out.flush();
            c.sendRaw("\r\n.\r\n");
            assertEquals("500 Line too long (see RFC5321 4.5.3.1.6)", c.reply());
            assertEquals(0, handler.messages().size());
            Attack.transactionWorks(c, handler);
        }
        Attack.normalTransactionWorks(server, handler);
    }

    @Test
    void tenMegabytesOfGarbageWithoutLfBeforeEhloAreDrainedAsOneOverlongLine() throws Exception {
        byte[] garbage = garbage(10 * MIB, 1, true);
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.expect(220);
            long baseline = Attack.usedHeapAfterGc();
            c.sendBytes(garbage);
            Attack.assertHeapGrewLessThan(baseline, HEAP_LIMIT, "10 MiB of garbage without a line end");
            c.sendRaw("\r\n");
            assertEquals("500 Command line too long", c.reply());
            c.expect("EHLO client.test", 250);
            Attack.transactionWorks(c, handler);
        }
        Attack.normalTransactionWorks(server, handler);
    }

    /**
     * Random binary lines: each is a syntax error (a verb that is not ASCII, 500) or an unknown command, so the
     * budgets close the session after at most 20 + 5 lines, long before the 10 MiB are read. The goodbye itself
     * ({@code 421} or {@code 502}) and the replies before it may be lost: the server closes with the client's unread
     * bytes in its socket, which makes the kernel send a reset, and a reset discards what the client had not read yet.
     */
    @Test
    void tenMegabytesOfBinaryGarbageBeforeEhloEndTheSessionByItsBudgets() throws Exception {
        byte[] garbage = garbage(10 * MIB, 2, false);
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.expect(220);
            CompletableFuture<Boolean> writer = CompletableFuture.supplyAsync(() -> {
                try {
                    OutputStream out = c.socket().getOutputStream();
                    for (int at = 0; at < garbage.length; at += 64 * 1024) {
                        out.write(garbage, at, Math.min(64 * 1024, garbage.length - at));
                    }
                    return true;
                } catch (IOException closedByServer) {
                    return false; // expected: the server gives up on this client long before 10 MiB
                }
            }, Attack.blocking());
            List<String> replies = c.repliesUntilClose(30_000);
            assertTrue(replies.size() <= 25, replies.size() + " replies before the budgets closed the session");
            for (String reply : replies) {
                assertTrue(reply.matches("(?s)(500|502 5\\.5\\.1|421 4\\.7\\.0) .*"), "unexpected reply: " + reply);
            }
            assertEquals(false, writer.get(30, TimeUnit.SECONDS), "the server read all 10 MiB of garbage");
        }
        assertEquals(0, handler.messages().size());
        Attack.normalTransactionWorks(server, handler);
    }

    @Test
    void aCommandLineOfOneMegabyteIsRefusedWithoutBufferingAndTheSessionGoesOn() throws Exception {
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            String huge = "x".repeat(MIB);
            assertEquals("500 Command line too long", c.command("NOOP " + huge));
            assertEquals("500 Command line too long", c.command("MAIL FROM:<" + huge + "@example.com>"));
            assertEquals("500 Command line too long", c.command("RCPT TO:<a@" + huge + ">"));
            // the limits of CLI.md, exactly: 512 octets without CRLF; MAIL after EHLO gets 26 more (SIZE)
            assertEquals("250 OK", c.command("NOOP " + "y".repeat(512 - 5)));
            assertEquals("500 Command line too long", c.command("NOOP " + "y".repeat(512 - 4)));
            String from = "MAIL FROM:<" + "m".repeat(512 + 26 - "MAIL FROM:<@example.com>".length()) + "@example.com>";
            assertEquals(512 + 26, from.length());
            assertEquals("250 OK", c.command(from));
            c.expect("RSET", 250);
            Attack.transactionWorks(c, handler);
        }
        Attack.normalTransactionWorks(server, handler);
    }

    /** Random bytes from a fixed seed; without LF (and CR) when {@code noLineEnds}. */
    private static byte[] garbage(int size, long seed, boolean noLineEnds) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        if (noLineEnds) {
            for (int i = 0; i < size; i++) {
                if (bytes[i] == '\n' || bytes[i] == '\r') {
                    bytes[i] = 'z';
                }
            }
        }
        return bytes;
    }
}
