package io.smtpd.lmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.reply.Reply;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;

/** LMTP (RFC 2033): LHLO, and after DATA one reply per accepted recipient, in order, whatever the outcome. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LmtpTest {
    private static final String GREETING = "220 smtp.example.test smtpd 1.0";
    private static final String OK = "250 OK";

    private SmtpServer server;

    /** A DATA hook given as a function of the envelope. */
    private static Handler data(Function<Envelope, HookResult> hook) {
        return new Handler() {
            @Override
            public HookResult handleData(Session session, Envelope envelope) {
                return hook.apply(envelope);
            }
        };
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private RawClient lmtp(Handler handler) throws IOException {
        return lmtp(handler, TestServers.settings());
    }

    private RawClient lmtp(Handler handler, ServerSettings.Builder settings) throws IOException {
        server = TestServers.start(handler, settings.lmtp(true));
        RawClient c = new RawClient(server.localAddress());
        assertEquals(GREETING, c.reply());
        return c;
    }

    @Test
    void lhloAdvertisesAndHeloEhloAreRefused() throws Exception {
        try (RawClient c = lmtp(new Handler() { })) {
            assertEquals("500 Error: command \"HELO\" not recognized", c.command("HELO client.example"));
            assertEquals("500 Error: command \"EHLO\" not recognized", c.command("EHLO client.example"));
            assertEquals("503 Error: send HELO first", c.command("MAIL FROM:<a@example.com>"));
            assertEquals("501 Syntax: LHLO hostname", c.command("LHLO"));
            String lhlo = c.command("LHLO client.example");
            List<String> lines = List.of(lhlo.split("\r\n"));
            assertEquals("250-smtp.example.test", lines.get(0));
            assertTrue(lines.contains("250-SIZE 33554432"), lhlo);
            assertTrue(lines.contains("250-8BITMIME"), lhlo);
            assertTrue(lines.contains("250-PIPELINING"), lhlo);
            assertEquals("250 HELP", lines.get(lines.size() - 1));
            String help = c.command("HELP");
            assertTrue(help.startsWith("250 Supported commands: "), help);
            assertTrue(help.contains(" LHLO "), help);
            assertFalse(help.contains("HELO") || help.contains("EHLO"), help);
            assertEquals("500 Error: command \"HELO\" not recognized", c.command("HELO client.example"),
                    "still refused after LHLO");
            assertEquals("221 Bye", c.command("QUIT"));
        }
    }

    @Test
    void oneReplyPerRecipientByDefault() throws Exception {
        try (RawClient c = lmtp(new Handler() { })) {
            transaction(c, 3, "Subject: x\r\n\r\nbody\r\n");
            assertEquals(List.of(OK, OK, OK), replies(c, 3));
            assertEquals("250 OK", c.command("NOOP"), "exactly three replies");
        }
    }

    @Test
    void duplicateRecipientsEachGetAReply() throws Exception {
        try (RawClient c = lmtp(new Handler() { })) {
            c.command("LHLO client.example");
            assertEquals(OK, c.command("MAIL FROM:<a@example.com>"));
            assertEquals(OK, c.command("RCPT TO:<same@example.com>"));
            assertEquals(OK, c.command("RCPT TO:<same@example.com>"));
            assertEquals("354 End data with <CR><LF>.<CR><LF>", c.command("DATA"));
            c.sendRaw("hi\r\n.\r\n");
            assertEquals(List.of(OK, OK), replies(c, 2));
        }
    }

    @Test
    void refusedRecipientsGetNoReplyAfterData() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleRcpt(Session session, Envelope envelope, String address, List<String> options) {
                return address.startsWith("nobody") ? HookResult.reply("550 5.1.1 No such user") : HookResult.proceed();
            }
        };
        try (RawClient c = lmtp(handler)) {
            c.command("LHLO client.example");
            assertEquals(OK, c.command("MAIL FROM:<a@example.com>"));
            assertEquals(OK, c.command("RCPT TO:<one@example.com>"));
            assertEquals("550 5.1.1 No such user", c.command("RCPT TO:<nobody@example.com>"));
            assertEquals(OK, c.command("RCPT TO:<two@example.com>"));
            c.command("DATA");
            c.sendRaw("hi\r\n.\r\n");
            assertEquals(List.of(OK, OK), replies(c, 2));
            assertEquals(OK, c.command("NOOP"));
        }
    }

    @Test
    void perRecipientVerdicts() throws Exception {
        Handler handler = data(envelope -> {
            List<Reply> verdicts = new ArrayList<>();
            for (String rcpt : envelope.rcptTos()) {
                verdicts.add(rcpt.startsWith("full") ? Reply.parse("452 4.2.2 Mailbox full")
                        : rcpt.startsWith("gone") ? Reply.parse("550 5.1.1 No such mailbox")
                        : Reply.parse("250 2.0.0 Delivered to " + rcpt));
            }
            return HookResult.replies(verdicts);
        });
        try (RawClient c = lmtp(handler)) {
            c.command("LHLO client.example");
            c.command("MAIL FROM:<a@example.com>");
            for (String rcpt : new String[] {"ok@example.com", "full@example.com", "gone@example.com",
                "ok2@example.com"}) {
                assertEquals(OK, c.command("RCPT TO:<" + rcpt + ">"));
            }
            c.command("DATA");
            c.sendRaw("Subject: x\r\n\r\nbody\r\n.\r\n");
            assertEquals(List.of("250 2.0.0 Delivered to ok@example.com", "452 4.2.2 Mailbox full",
                    "550 5.1.1 No such mailbox", "250 2.0.0 Delivered to ok2@example.com"), replies(c, 4));
            assertEquals(OK, c.command("NOOP"));
        }
    }

    @Test
    void oneVerdictAppliesToEveryRecipient() throws Exception {
        try (RawClient c = lmtp(data(envelope -> HookResult.reply("451 4.3.0 Try later")))) {
            transaction(c, 3, "x\r\n");
            assertEquals(List.of("451 4.3.0 Try later", "451 4.3.0 Try later", "451 4.3.0 Try later"), replies(c, 3));
        }
        server.stop();
        try (RawClient c = lmtp(data(envelope -> HookResult.replies(List.of(Reply.parse("250 2.0.0 Taken")))))) {
            transaction(c, 2, "x\r\n");
            assertEquals(List.of("250 2.0.0 Taken", "250 2.0.0 Taken"), replies(c, 2));
        }
    }

    @Test
    void missingVerdictsAreTemporaryFailures() throws Exception {
        Handler handler = data(envelope -> HookResult.replies(List.of(Reply.parse("250 2.0.0 A"),
                Reply.parse("550 5.0.0 B"))));
        try (RawClient c = lmtp(handler)) {
            transaction(c, 3, "x\r\n");
            assertEquals(List.of("250 2.0.0 A", "550 5.0.0 B", "451 Error: no verdict for this recipient"), replies(c, 3));
        }
    }

    @Test
    void asynchronousPerRecipientVerdicts() throws Exception {
        Handler handler = data(envelope -> {
            List<Reply> verdicts = new ArrayList<>();
            for (int i = 0; i < envelope.rcptTos().size(); i++) {
                verdicts.add(Reply.parse(i % 2 == 0 ? "250 2.0.0 Stored " + i : "450 4.2.0 Busy " + i));
            }
            return HookResult.later(CompletableFuture.supplyAsync(() -> HookResult.replies(verdicts),
                    CompletableFuture.delayedExecutor(150, TimeUnit.MILLISECONDS)));
        });
        try (RawClient c = lmtp(handler)) {
            transaction(c, 3, "x\r\n");
            assertEquals(List.of("250 2.0.0 Stored 0", "450 4.2.0 Busy 1", "250 2.0.0 Stored 2"), replies(c, 3));
            assertEquals(OK, c.command("NOOP"));
        }
    }

    /** Verdicts completing on another thread while replies are flushed: reading must always resume. */
    @Test
    void manyAsynchronousTransactionsInARow() throws Exception {
        Handler handler = data(envelope -> HookResult.later(CompletableFuture.supplyAsync(
                () -> HookResult.replies(List.of(Reply.parse("250 2.0.0 a"), Reply.parse("250 2.0.0 b"))),
                CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS))));
        try (RawClient c = lmtp(handler)) {
            assertTrue(c.command("LHLO client.example").startsWith("250-"));
            for (int i = 0; i < 300; i++) {
                transactionAfterHello(c, 2, "x\r\n");
                assertEquals(List.of("250 2.0.0 a", "250 2.0.0 b"), replies(c, 2), "transaction " + i);
            }
            assertEquals(OK, c.command("NOOP"));
        }
    }

    @Test
    void eachPendingVerdictIsSentInOrderAsSoonAsKnown() throws Exception {
        List<CompletableFuture<Reply>> pending = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>());
        try (RawClient c = lmtp(data(envelope -> HookResult.laterReplies(pending)))) {
            transaction(c, 3, "x\r\n");
            c.send("NOOP"); // pipelined: answered only after the three verdicts
            pending.get(1).complete(Reply.parse("250 2.0.0 second"));
            assertNothingWithin(c, 300);
            pending.get(0).complete(Reply.parse("250 2.0.0 first"));
            assertEquals(List.of("250 2.0.0 first", "250 2.0.0 second"), replies(c, 2));
            assertNothingWithin(c, 300);
            pending.get(2).completeExceptionally(new IllegalStateException("disk on fire"));
            assertEquals("500 Error: (IllegalStateException) disk on fire", c.reply());
            assertEquals(OK, c.reply(), "the pipelined NOOP");
        }
    }

    @Test
    void completedVerdictStagesForManyRecipients() throws Exception {
        Handler handler = data(envelope -> {
            List<CompletableFuture<Reply>> verdicts = new ArrayList<>();
            for (int i = 0; i < envelope.rcptTos().size(); i++) {
                verdicts.add(CompletableFuture.completedFuture(Reply.parse("250 2.0.0 r" + i)));
            }
            return HookResult.laterReplies(verdicts);
        });
        try (RawClient c = lmtp(handler)) {
            transaction(c, 200, "x\r\n");
            List<String> replies = replies(c, 200);
            for (int i = 0; i < 200; i++) {
                assertEquals("250 2.0.0 r" + i, replies.get(i));
            }
            assertEquals(OK, c.command("NOOP"));
        }
    }

    @Test
    void tooMuchDataIsAnsweredOncePerRecipient() throws Exception {
        try (RawClient c = lmtp(new Handler() { }, TestServers.settings().dataSizeLimit(100))) {
            transaction(c, 3, ("y".repeat(70) + "\r\n").repeat(3));
            String tooMuch = "552 Error: Too much mail data";
            assertEquals(List.of(tooMuch, tooMuch, tooMuch), replies(c, 3));
            assertEquals(OK, c.command("NOOP"));
        }
    }

    @Test
    void overlongLineIsAnsweredOncePerRecipientAndCountsAsOneError() throws Exception {
        try (RawClient c = lmtp(new Handler() { }, TestServers.settings().maxErrors(3))) {
            String tooLong = "500 Line too long (see RFC5321 4.5.3.1.6)";
            transaction(c, 25, "Subject: x\r\n\r\n" + "z".repeat(5000) + "\r\n");
            List<String> replies = replies(c, 25);
            for (String reply : replies) {
                assertEquals(tooLong, reply);
            }
            assertEquals(OK, c.command("NOOP"), "25 replies to one DATA are one error, not 25");
        }
    }

    @Test
    void smtpAnswersPerRecipientResultsWithTheFirst() throws Exception {
        server = TestServers.start(data(envelope -> HookResult.replies(List.of(Reply.parse("550 5.0.0 no"),
                Reply.parse("250 2.0.0 yes")))));
        try (RawClient c = new RawClient(server.localAddress())) {
            c.reply();
            c.command("EHLO client.example");
            transactionAfterHello(c, 2, "x\r\n");
            assertEquals("550 5.0.0 no", c.reply());
            assertEquals(OK, c.command("NOOP"));
        }
    }

    @Test
    void pipelinedTransaction() throws Exception {
        try (RawClient c = lmtp(new Handler() { })) {
            c.sendRaw("LHLO client.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n"
                    + "RCPT TO:<c@example.com>\r\nDATA\r\nhello\r\n.\r\nQUIT\r\n");
            assertTrue(c.reply().startsWith("250-"));
            assertEquals(List.of(OK, OK, OK, "354 End data with <CR><LF>.<CR><LF>", OK, OK, "221 Bye"),
                    replies(c, 7));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static void transaction(RawClient c, int recipients, String content) throws IOException {
        assertTrue(c.command("LHLO client.example").startsWith("250-"));
        transactionAfterHello(c, recipients, content);
    }

    private static void transactionAfterHello(RawClient c, int recipients, String content) throws IOException {
        assertEquals(OK, c.command("MAIL FROM:<sender@example.com>"));
        for (int i = 0; i < recipients; i++) {
            assertEquals(OK, c.command("RCPT TO:<r" + i + "@example.com>"));
        }
        assertEquals("354 End data with <CR><LF>.<CR><LF>", c.command("DATA"));
        c.sendRaw(content + ".\r\n");
    }

    private static List<String> replies(RawClient c, int count) throws IOException {
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            replies.add(c.reply());
        }
        return replies;
    }

    private static void assertNothingWithin(RawClient c, int millis) throws IOException {
        c.timeout(millis);
        InputStream in = c.socket().getInputStream();
        try {
            int b = in.read();
            throw new AssertionError("unexpected " + (b < 0 ? "close" : "byte " + (char) b));
        } catch (SocketTimeoutException expected) {
            // nothing arrived
        } finally {
            c.timeout(5000);
        }
    }
}
