package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.HOST;
import static io.smtpd.conformance.Fixtures.S221_BYE;
import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S354_DATA;
import static io.smtpd.conformance.Fixtures.S553_MALFORMED;
import static io.smtpd.conformance.Fixtures.ehloed;
import static io.smtpd.conformance.Fixtures.greeted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;

/**
 * Pipelining (RFC 2920): commands sent in one write are answered in order, DATA content included; a client that
 * sends without reading its replies is not read further once its unsent replies pass a small buffer (CLI.md).
 */
class PipeliningTest {
    private static final String WHOLE_SESSION = "EHLO client.example\r\nMAIL FROM:<anne@example.com>\r\n"
            + "RCPT TO:<bart@example.com>\r\nRCPT TO:<cate@example.com>\r\nDATA\r\nSubject: one\r\n\r\n..body\r\n.\r\n"
            + "MAIL FROM:<dave@example.com>\r\nRCPT TO:<elle@example.com>\r\nDATA\r\nSubject: two\r\n.\r\nQUIT\r\n";

    private static void assertWholeSessionAnswered(RawClient c, RecordingHandler handler) throws Exception {
        assertTrue(c.reply().startsWith("250-" + HOST));
        for (String expected : List.of(S250_OK, S250_OK, S250_OK, S354_DATA, S250_OK, S250_OK, S250_OK, S354_DATA,
                S250_OK)) {
            assertEquals(expected, c.reply());
        }
        Fixtures.assertRepliesThenClosed(c, S221_BYE);
        assertEquals(2, handler.messages().size());
        RecordingHandler.Message one = handler.messages().get(0);
        assertEquals(List.of("bart@example.com", "cate@example.com"), one.rcptTos());
        assertEquals("Subject: one\r\n\r\n.body\r\n", one.text());
        RecordingHandler.Message two = handler.messages().get(1);
        assertEquals("dave@example.com", two.mailFrom());
        assertEquals("Subject: two\r\n", two.text());
    }

    @Test
    void transactionSentInOneWriteIsAnsweredInOrder() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            c.sendRaw("MAIL FROM:<anne@example.com>\r\nRCPT TO:<bart@example.com>\r\nRCPT TO:<cate@example.com>\r\n"
                    + "DATA\r\n");
            assertEquals(S250_OK, c.reply());
            assertEquals(S250_OK, c.reply());
            assertEquals(S250_OK, c.reply());
            assertEquals(S354_DATA, c.reply());
            c.sendRaw("Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            assertEquals(S250_OK, c.reply());
            Fixtures.assertRepliesThenClosed(c, S221_BYE);
            assertEquals(List.of("bart@example.com", "cate@example.com"), Fixtures.onlyMessage(handler).rcptTos());
        }
    }

    @Test
    void wholeSessionInOneWriteIsAnsweredInOrder() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler); RawClient c = greeted(s)) {
            c.sendRaw(WHOLE_SESSION);
            assertWholeSessionAnswered(c, handler);
        }
    }

    @Test
    void wholeSessionSentByteByByteIsAnsweredTheSame() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler); RawClient c = greeted(s)) {
            c.socket().setTcpNoDelay(true);
            for (byte b : WHOLE_SESSION.getBytes(StandardCharsets.US_ASCII)) {
                c.sendBytes(new byte[] {b});
            }
            assertWholeSessionAnswered(c, handler);
        }
    }

    @Test
    void errorsInAPipelineAreAnsweredInPlace() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            c.sendRaw("MAIL FROM:<anne@example.com>\r\nRCPT TO:<johnathon@>\r\nRCPT TO:<bart@example.com>\r\n"
                    + "BOGUS\r\nDATA\r\nhi\r\n.\r\n");
            assertEquals(S250_OK, c.reply());
            assertEquals(S553_MALFORMED, c.reply());
            assertEquals(S250_OK, c.reply());
            assertEquals("500 Error: command \"BOGUS\" not recognized", c.reply());
            assertEquals(S354_DATA, c.reply());
            assertEquals(S250_OK, c.reply());
            assertEquals(List.of("bart@example.com"), Fixtures.onlyMessage(handler).rcptTos());
        }
    }

    @Test
    void clientThatNeverReadsItsRepliesIsNoLongerRead() throws Exception {
        byte[] noops = "NOOP\r\n".repeat(8192).getBytes(StandardCharsets.US_ASCII);
        long bound = 256L * 1024 * 1024;
        try (SmtpServer s = Fixtures.start(new RecordingHandler()); SocketChannel ch = SocketChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
            ch.connect(s.localAddress());
            ch.configureBlocking(false);
            long written = Fixtures.writeUntilStalled(ch, noops, bound);
            assertTrue(written < bound, "the server kept reading: " + written + " octets");

            // reading the replies lets the server read again
            ByteBuffer replies = ByteBuffer.allocate(1 << 16);
            ByteBuffer more = ByteBuffer.wrap(noops);
            boolean greeting = true;
            long resumed = 0;
            long deadline = System.nanoTime() + 2 * Fixtures.DEADLINE_MILLIS * 1_000_000;
            while (resumed == 0 && System.nanoTime() < deadline) {
                replies.clear();
                int n = ch.read(replies);
                if (n < 0) {
                    fail("the server closed the connection");
                }
                if (greeting && n > 0) {
                    assertTrue(new String(replies.array(), 0, Math.min(n, 4), StandardCharsets.US_ASCII)
                            .startsWith("220 ".substring(0, Math.min(n, 4))), "the greeting comes first");
                    greeting = false;
                }
                resumed = ch.write(more);
            }
            assertTrue(resumed > 0, "the server reads again once its replies are taken");
        }
    }

    @Test
    void repliesToAPipelineOfManyCommandsAllArrive() throws Exception {
        try (SmtpServer s = Fixtures.start(new RecordingHandler()); RawClient c = greeted(s)) {
            int count = 5_000;
            List<String> expected = new ArrayList<>();
            c.sendRaw("NOOP\r\n".repeat(count) + "QUIT\r\n");
            for (int i = 0; i < count; i++) {
                expected.add(S250_OK);
            }
            expected.add(S221_BYE);
            assertEquals(expected, Fixtures.repliesUntilClosed(c));
        }
    }
}
