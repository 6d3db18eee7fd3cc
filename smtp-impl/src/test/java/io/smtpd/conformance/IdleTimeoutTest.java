package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.HOST;
import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.greeted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;

/**
 * The idle timeout (CLI.md {@code --timeout}): after that long without a complete line the server sends
 * {@code 421 4.4.2 <hostname> timeout} and closes; every command line and every DATA line restarts the timer.
 */
class IdleTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final String S421_TIMEOUT = "421 4.4.2 " + HOST + " timeout";

    private static SmtpServer start(RecordingHandler handler) {
        return Fixtures.start(handler, b -> b.timeout(TIMEOUT));
    }

    @Test
    void idleSessionGets421AndIsClosed() throws Exception {
        try (SmtpServer s = start(new RecordingHandler()); RawClient c = greeted(s)) {
            long start = System.nanoTime();
            Fixtures.assertRepliesThenClosed(c, S421_TIMEOUT);
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsed >= TIMEOUT.toMillis() - 100, "closed after " + elapsed + " ms");
        }
    }

    @Test
    void everyCommandRestartsTheTimer() throws Exception {
        try (SmtpServer s = start(new RecordingHandler()); RawClient c = greeted(s)) {
            long end = System.nanoTime() + 3 * TIMEOUT.toNanos();
            while (System.nanoTime() < end) {
                assertEquals(S250_OK, c.command("NOOP"));
                Thread.sleep(TIMEOUT.toMillis() / 10);
            }
            long quiet = System.nanoTime();
            Fixtures.assertRepliesThenClosed(c, S421_TIMEOUT);
            assertTrue((System.nanoTime() - quiet) / 1_000_000 >= TIMEOUT.toMillis() - 150);
        }
    }

    @Test
    void bytesWithoutALineEndDoNotRestartTheTimer() throws Exception {
        try (SmtpServer s = start(new RecordingHandler()); RawClient c = greeted(s)) {
            InputStream in = c.socket().getInputStream();
            long start = System.nanoTime();
            long giveUp = start + 10 * TIMEOUT.toNanos();
            try {
                while (in.available() == 0 && System.nanoTime() < giveUp) {
                    c.sendRaw("N"); // a command that never ends
                    Thread.sleep(TIMEOUT.toMillis() / 8);
                }
            } catch (IOException closed) {
                // the server closed while we were still writing
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsed < 5 * TIMEOUT.toMillis(), "timed out only after " + elapsed + " ms");
            Fixtures.assertRepliesThenClosed(c, S421_TIMEOUT);
        }
    }

    @Test
    void dataLinesRestartTheTimerAndAnIdleDataDiscardsTheMessage() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = start(handler); RawClient c = Fixtures.inData(s)) {
            long end = System.nanoTime() + 3 * TIMEOUT.toNanos();
            while (System.nanoTime() < end) {
                c.sendRaw("a line of the message\r\n");
                Thread.sleep(TIMEOUT.toMillis() / 10);
            }
            assertEquals(S250_OK, Fixtures.sendMessage(c, ""));
            assertEquals(1, handler.messages().size());
            c.sendRaw("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
            assertEquals(S250_OK, c.reply());
            assertEquals(S250_OK, c.reply());
            assertEquals(Fixtures.S354_DATA, c.reply());
            c.sendRaw("an unfinished message\r\n");
            Fixtures.assertRepliesThenClosed(c, S421_TIMEOUT);
            Fixtures.awaitNoSessions(s);
            assertEquals(1, handler.messages().size(), "the unfinished message is discarded");
        }
    }

    @Test
    void clientThatNeverReadsItsRepliesIsStillClosedAfterTheTimeout() throws Exception {
        // reading stops once the unsent replies pile up (back-pressure); the timeout must still end the session,
        // or a client that never reads holds its connection (and a --max-connections place) for ever
        try (SmtpServer s = start(new RecordingHandler()); SocketChannel ch = SocketChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            ch.connect(s.localAddress());
            ch.configureBlocking(false);
            byte[] noops = "NOOP\r\n".repeat(8192).getBytes(StandardCharsets.US_ASCII);
            Fixtures.await(() -> s.openSessions() == 1, "the session to open");
            long written;
            try {
                written = Fixtures.writeUntilStalled(ch, noops, 1L << 30);
            } catch (IOException closed) {
                return; // the server closed the connection while we were writing
            }
            assertTrue(written < 1L << 30, "back-pressure never stopped reading");
            Fixtures.await(() -> s.openSessions() == 0, "the session to end " + TIMEOUT.toMillis()
                    + " ms after reading stopped, unread replies or not", 3_000);
        }
    }
}
