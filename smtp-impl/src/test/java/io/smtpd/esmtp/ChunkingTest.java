package io.smtpd.esmtp;

import static io.smtpd.esmtp.Esmtp.ehloed;
import static io.smtpd.esmtp.Esmtp.keywords;
import static io.smtpd.esmtp.Esmtp.replies;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;

/** CHUNKING and BINARYMIME (RFC 3030): BDAT, raw chunks, pipelined, size limit across chunks, refused chunks. */
class ChunkingTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void advertisedByDefaultAndSwitchable() throws Exception {
        try (SmtpServer s = Esmtp.start(new RecordingHandler(), TestServers.settings());
             RawClient c = Esmtp.greeted(s)) {
            List<String> k = keywords(c.command("EHLO client.example"));
            assertTrue(k.contains("CHUNKING"), k.toString());
            assertTrue(k.contains("BINARYMIME"), k.toString());
            assertEquals("HELP", k.get(k.size() - 1));
        }
        try (SmtpServer s = Esmtp.start(new RecordingHandler(), TestServers.settings().chunking(false));
             RawClient c = Esmtp.greeted(s)) {
            List<String> k = keywords(c.command("EHLO client.example"));
            assertFalse(k.contains("CHUNKING"), k.toString());
            assertFalse(k.contains("BINARYMIME"), k.toString());
            assertEquals("500 Error: command \"BDAT\" not recognized", c.command("BDAT 3 LAST"));
            assertEquals("501 Error: BODY can only be one of 7BIT, 8BITMIME",
                    c.command("MAIL FROM:<a@example.com> BODY=BINARYMIME"));
        }
    }

    @Test
    void chunksAreRawAndDeliveredWholeAfterLast() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings()); RawClient c = ehloed(s)) {
            assertEquals("250 OK", c.command("MAIL FROM:<anne@example.com> BODY=BINARYMIME"));
            assertEquals("250 OK", c.command("RCPT TO:<bart@example.com>"));
            byte[] first = bytes("Subject: x\r\n\r\n.\r\n..dots\nbare LF\r\n");
            byte[] second = new byte[] {0, (byte) 0xff, '\r', '\n', '.', '\r', '\n'};
            c.sendBytes(Esmtp.concat(bytes("BDAT " + first.length + "\r\n"), first));
            assertEquals("250 " + first.length + " octets received", c.reply());
            c.sendBytes(Esmtp.concat(bytes("bdat " + second.length + " last\r\n"), second));
            assertEquals("250 OK", c.reply());
            RecordingHandler.Message m = handler.take();
            assertArrayEquals(Esmtp.concat(first, second), m.content());
            assertEquals(List.of("bart@example.com"), m.rcptTos());
            assertEquals(List.of("BODY=BINARYMIME"), m.mailOptions());
            assertEquals("250 OK", c.command("NOOP"), "back to commands after the last chunk");
        }
    }

    @Test
    void pipelinedTransactionInOneWriteIsDeliveredWhole() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings()); RawClient c = ehloed(s)) {
            byte[] body = bytes("From: a\r\nSubject: pipelined\r\n\r\nQUIT\r\nRSET\r\n.\r\nbody\r\n");
            c.sendBytes(Esmtp.concat(bytes("MAIL FROM:<anne@example.com>\r\nRCPT TO:<bart@example.com>\r\n"
                    + "RCPT TO:<carl@example.com>\r\nBDAT " + body.length + " LAST\r\n"), body, bytes("QUIT\r\n")));
            assertEquals(List.of("250 OK", "250 OK", "250 OK", "250 OK"), replies(c, 4));
            assertEquals(List.of("221 Bye"), Esmtp.repliesUntilClosed(c));
            RecordingHandler.Message m = handler.take();
            assertArrayEquals(body, m.content());
            assertEquals(List.of("bart@example.com", "carl@example.com"), m.rcptTos());
        }
    }

    @Test
    void pipelinedTransactionWithSlowHooksIsDeliveredWhole() throws Exception {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        RecordingHandler handler = new RecordingHandler() {
            private HookResult later(HookResult result) {
                java.util.concurrent.CompletableFuture<HookResult> f = new java.util.concurrent.CompletableFuture<>();
                timer.schedule(() -> f.complete(result), 30, java.util.concurrent.TimeUnit.MILLISECONDS);
                return HookResult.later(f);
            }

            @Override
            public HookResult handleRcpt(Session session, Envelope envelope, String address, List<String> options) {
                return later(HookResult.proceed());
            }

            @Override
            public HookResult handleData(Session session, Envelope envelope) {
                HookResult done = super.handleData(session, envelope);
                return later(done);
            }
        };
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings()); RawClient c = ehloed(s)) {
            byte[] body = bytes("Subject: slow\r\n\r\nRSET\r\n");
            c.sendBytes(Esmtp.concat(bytes("MAIL FROM:<anne@example.com>\r\nRCPT TO:<bart@example.com>\r\n"
                    + "BDAT " + body.length + " LAST\r\n"), body, bytes("QUIT\r\n")));
            assertEquals(List.of("250 OK", "250 OK", "250 OK"), replies(c, 3));
            assertEquals(List.of("221 Bye"), Esmtp.repliesUntilClosed(c));
            assertArrayEquals(body, handler.take().content());
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void pipelinedChunksSplitAcrossWrites() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings()); RawClient c = ehloed(s)) {
            c.sendRaw("MAIL FROM:<anne@example.com>\r\nRCPT TO:<bart@example.com>\r\nBDAT 10\r\n01234");
            Thread.sleep(50);
            c.sendRaw("56789BDAT 0 LAST\r\nNOOP\r\n");
            assertEquals(List.of("250 OK", "250 OK", "250 10 octets received", "250 OK", "250 OK"), replies(c, 5));
            assertEquals("0123456789", handler.take().text());
        }
    }

    @Test
    void chunkAfterRejectedRcptIsReadAndDiscarded() throws Exception {
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public HookResult handleRcpt(Session session, Envelope envelope, String address, List<String> options) {
                return address.startsWith("nobody") ? HookResult.reply("550 no such user") : HookResult.proceed();
            }
        };
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings()); RawClient c = ehloed(s)) {
            String smuggled = "MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>\r\nNOOP\r\n";
            c.sendRaw("MAIL FROM:<anne@example.com>\r\nRCPT TO:<nobody@example.com>\r\nBDAT " + smuggled.length()
                    + " LAST\r\n" + smuggled + "NOOP\r\n");
            assertEquals(List.of("250 OK", "550 no such user", "503 Error: need RCPT command", "250 OK"),
                    replies(c, 4));
            c.sendRaw("RSET\r\nBDAT 6\r\nQUIT\r\nNOOP\r\n");
            assertEquals(List.of("250 OK", "503 Error: need MAIL command", "250 OK"), replies(c, 3));
            assertTrue(handler.messages().isEmpty());
        }
    }

    @Test
    void chunkBeforeHeloAndAfterRejectedMailIsDiscarded() throws Exception {
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public HookResult handleMail(Session session, Envelope envelope, String address, List<String> options) {
                return HookResult.reply("550 sender refused");
            }
        };
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings()); RawClient c = Esmtp.greeted(s)) {
            c.sendRaw("BDAT 6\r\nQUIT\r\nNOOP\r\n");
            assertEquals(List.of("503 Error: send HELO first", "250 OK"), replies(c, 2));
            c.command("EHLO client.example");
            c.sendRaw("MAIL FROM:<anne@example.com>\r\nBDAT 6 LAST\r\nQUIT\r\nNOOP\r\n");
            assertEquals(List.of("550 sender refused", "503 Error: need MAIL command", "250 OK"), replies(c, 3));
        }
    }

    @Test
    void sizeLimitCountsAllChunks() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings().dataSizeLimit(20));
             RawClient c = ehloed(s)) {
            c.sendRaw("MAIL FROM:<anne@example.com>\r\nRCPT TO:<bart@example.com>\r\nBDAT 12\r\n0123456789\r\n");
            assertEquals(List.of("250 OK", "250 OK", "250 12 octets received"), replies(c, 3));
            c.sendRaw("BDAT 12\r\nNOOP\r\nNOOP\r\n");
            assertEquals("552 Error: Too much mail data", c.reply());
            c.sendRaw("BDAT 4 LAST\r\nNOOPNOOP\r\n");
            assertEquals("503 Error: need MAIL command", c.reply(), "the transaction was reset");
            assertEquals("250 OK", c.reply());
            // exactly at the limit is fine
            c.sendRaw("MAIL FROM:<anne@example.com>\r\nRCPT TO:<bart@example.com>\r\nBDAT 10\r\n0123456789"
                    + "BDAT 10 LAST\r\n0123456789");
            assertEquals(List.of("250 OK", "250 OK", "250 10 octets received", "250 OK"), replies(c, 4));
            assertEquals(20, handler.take().content().length);
            assertEquals("552 Error: message size exceeds fixed maximum message size",
                    c.command("MAIL FROM:<anne@example.com> SIZE=21"));
        }
    }

    @Test
    void dataAfterBdatAndDataWithBinaryMimeAreRefused() throws Exception {
        try (SmtpServer s = Esmtp.start(new RecordingHandler(), TestServers.settings()); RawClient c = ehloed(s)) {
            c.sendRaw("MAIL FROM:<anne@example.com>\r\nRCPT TO:<bart@example.com>\r\nBDAT 3\r\nabcDATA\r\n");
            assertEquals(List.of("250 OK", "250 OK", "250 3 octets received",
                    "503 Error: DATA not allowed after BDAT"), replies(c, 4));
            assertEquals("250 OK", c.command("RSET"));
            c.sendRaw("MAIL FROM:<anne@example.com> BODY=BINARYMIME\r\nRCPT TO:<bart@example.com>\r\nDATA\r\n");
            assertEquals(List.of("250 OK", "250 OK", "503 Error: BODY=BINARYMIME requires BDAT, not DATA"),
                    replies(c, 3));
        }
    }

    @Test
    void badSizeIs501AndTheRestIsReadAsCommands() throws Exception {
        try (SmtpServer s = Esmtp.start(new RecordingHandler(), TestServers.settings()); RawClient c = ehloed(s)) {
            assertEquals("501 Syntax: BDAT <size> [LAST]", c.command("BDAT"));
            assertEquals("501 Syntax: BDAT <size> [LAST]", c.command("BDAT x LAST"));
            assertEquals("501 Syntax: BDAT <size> [LAST]", c.command("BDAT -1"));
            assertEquals("501 Syntax: BDAT <size> [LAST]", c.command("BDAT 10 FIRST"));
            assertEquals("501 Syntax: BDAT <size> [LAST]", c.command("BDAT 1 LAST more"));
            assertEquals("501 Syntax: BDAT <size> [LAST]", c.command("BDAT 1234567890123456789012"));
            assertEquals("250 OK", c.command("NOOP"));
        }
    }

    @Test
    void lmtpAnswersTheLastChunkPerRecipient() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings().lmtp(true));
             RawClient c = Esmtp.greeted(s)) {
            assertTrue(keywords(c.command("LHLO client.example")).contains("CHUNKING"));
            c.sendRaw("MAIL FROM:<anne@example.com>\r\nRCPT TO:<bart@example.com>\r\nRCPT TO:<carl@example.com>\r\n"
                    + "BDAT 2\r\nhiBDAT 2 LAST\r\n!!");
            assertEquals(List.of("250 OK", "250 OK", "250 OK", "250 2 octets received", "250 OK", "250 OK"),
                    replies(c, 6));
            assertEquals("hi!!", handler.take().text());
        }
    }
}
