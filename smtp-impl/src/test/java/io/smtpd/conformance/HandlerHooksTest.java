package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.HOST;
import static io.smtpd.conformance.Fixtures.S221_BYE;
import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S354_DATA;
import static io.smtpd.conformance.Fixtures.S503_MAIL_NEEDED;
import static io.smtpd.conformance.Fixtures.S503_RCPT_NEEDED;
import static io.smtpd.conformance.Fixtures.ehloed;
import static io.smtpd.conformance.Fixtures.greeted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.reply.Reply;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;

/**
 * Handler hooks, aiosmtpd's {@code handle_VERB}: a reply of their own (no state change), accept (state change, own
 * reply), and later (a stage completed on another thread) with input pipelined behind it kept in order.
 */
class HandlerHooksTest {
    private static final long DELAY_MILLIS = 200;
    private static final Executor LATER = CompletableFuture.delayedExecutor(DELAY_MILLIS, TimeUnit.MILLISECONDS);

    @Test
    void rcptHookReplyRefusesTheRecipientWithoutRecordingIt() throws Exception {
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public HookResult handleRcpt(Session session, Envelope envelope, String address, List<String> options) {
                return address.startsWith("nobody")
                        ? HookResult.reply("550 5.1.1 Recipient address rejected: User unknown")
                        : HookResult.proceed();
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            assertEquals("550 5.1.1 Recipient address rejected: User unknown", c.command("RCPT TO:<nobody@x.org>"));
            assertEquals(S503_RCPT_NEEDED, c.command("DATA"));
            assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, "x\r\n"));
            assertEquals(List.of("bart@example.com"), Fixtures.onlyMessage(handler).rcptTos());
        }
    }

    @Test
    void mailHookReplyLeavesNoTransaction() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleMail(Session session, Envelope envelope, String address, List<String> options) {
                return HookResult.reply(Reply.of(250, "OK, but not recorded"));
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            assertEquals("250 OK, but not recorded", c.command("MAIL FROM:<anne@example.com>"));
            assertEquals(S503_MAIL_NEEDED, c.command("RCPT TO:<bart@example.com>"));
        }
    }

    @Test
    void mailHookThatRecordsItselfStartsTheTransaction() throws Exception {
        // aiosmtpd semantics: a hook that answers itself owns the state
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public HookResult handleMail(Session session, Envelope envelope, String address, List<String> options) {
                envelope.setMailFrom(address.toUpperCase(java.util.Locale.ROOT));
                return HookResult.reply("250 Sender recorded by the handler");
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            assertEquals("250 Sender recorded by the handler", c.command("MAIL FROM:<anne@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, "x\r\n"));
            assertEquals("ANNE@EXAMPLE.COM", Fixtures.onlyMessage(handler).mailFrom());
        }
    }

    @Test
    void acceptRecordsAndAnswersTheHooksReply() throws Exception {
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public HookResult handleMail(Session session, Envelope envelope, String address, List<String> options) {
                return HookResult.accept(Reply.of(250, "2.1.0 Sender <" + address + "> ok"));
            }

            @Override
            public HookResult handleRcpt(Session session, Envelope envelope, String address, List<String> options) {
                return HookResult.accept(Reply.of(251, "User not local; will forward"));
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            assertEquals("250 2.1.0 Sender <anne@example.com> ok", c.command("MAIL FROM:<anne@example.com>"));
            assertEquals("251 User not local; will forward", c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, "x\r\n"));
            RecordingHandler.Message m = Fixtures.onlyMessage(handler);
            assertEquals("anne@example.com", m.mailFrom());
            assertEquals(List.of("bart@example.com"), m.rcptTos());
        }
    }

    @Test
    void laterHookCompletedOnAnotherThreadKeepsPipelinedInputInOrder() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public HookResult handleMail(Session session, Envelope envelope, String address, List<String> options) {
                threads.add(Thread.currentThread().getName());
                return HookResult.later(CompletableFuture.supplyAsync(() -> {
                    threads.add(Thread.currentThread().getName());
                    return HookResult.accept(Reply.of(250, "delayed OK"));
                }, LATER));
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            long start = System.nanoTime();
            c.sendRaw("MAIL FROM:<anne@example.com>\r\nRCPT TO:<bart@example.com>\r\nRCPT TO:<cate@example.com>\r\n"
                    + "DATA\r\nSubject: later\r\n\r\nbody\r\n.\r\nNOOP\r\nQUIT\r\n");
            assertEquals("250 delayed OK", c.reply());
            assertTrue((System.nanoTime() - start) / 1_000_000 >= DELAY_MILLIS - 20);
            for (String expected : List.of(S250_OK, S250_OK, S354_DATA, S250_OK, S250_OK)) {
                assertEquals(expected, c.reply());
            }
            Fixtures.assertRepliesThenClosed(c, S221_BYE);
            RecordingHandler.Message m = Fixtures.onlyMessage(handler);
            assertEquals("anne@example.com", m.mailFrom());
            assertEquals(List.of("bart@example.com", "cate@example.com"), m.rcptTos());
            assertEquals("Subject: later\r\n\r\nbody\r\n", m.text());
            assertNotEquals(threads.get(0), threads.get(1), "completed on another thread");
        }
    }

    @Test
    void laterDataHookAnswersOnceCompleteAndTheNextCommandsWait() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleData(Session session, Envelope envelope) {
                int size = envelope.content().length;
                return HookResult.laterReply(CompletableFuture.supplyAsync(
                        () -> Reply.of(250, "2.0.0 queued " + size + " octets"), LATER));
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = Fixtures.inData(s)) {
            c.sendRaw("hello\r\n.\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n.\r\nRSET\r\n");
            assertEquals("250 2.0.0 queued 7 octets", c.reply());
            for (String expected : List.of(S250_OK, S250_OK, S354_DATA, "250 2.0.0 queued 0 octets", S250_OK)) {
                assertEquals(expected, c.reply());
            }
        }
    }

    @Test
    void laterStagesOfSeveralHooksChainInOrder() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleNoop(Session session, Envelope envelope, String argument) {
                long delay = Long.parseLong(argument);
                return HookResult.laterReply(CompletableFuture.supplyAsync(() -> Reply.of(250, "noop " + delay),
                        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)));
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = greeted(s)) {
            c.sendRaw("NOOP 150\r\nNOOP 1\r\nNOOP 60\r\nNOOP 0\r\n");
            for (String expected : List.of("250 noop 150", "250 noop 1", "250 noop 60", "250 noop 0")) {
                assertEquals(expected, c.reply());
            }
        }
    }

    @Test
    void ehloHookEditsTheLines() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleEhlo(Session session, Envelope envelope, String hostname, List<String> lines) {
                lines.remove("8BITMIME");
                lines.add(lines.size() - 1, "XCLIENT NAME ADDR");
                return HookResult.proceed();
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = greeted(s)) {
            List<String> lines = Fixtures.lines(c.command("EHLO client.example"));
            assertEquals(HOST, lines.get(0));
            assertTrue(!lines.contains("8BITMIME"), lines.toString());
            assertEquals(List.of("XCLIENT NAME ADDR", "HELP"), lines.subList(lines.size() - 2, lines.size()));
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"), "the greeting counted");
        }
    }

    @Test
    void ehloHookReplyReplacesTheWholeReply() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleEhlo(Session session, Envelope envelope, String hostname, List<String> lines) {
                return HookResult.reply("550 Not you, " + hostname);
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = greeted(s)) {
            assertEquals("550 Not you, client.example", c.command("EHLO client.example"));
            assertEquals("503 Error: send HELO first", c.command("MAIL FROM:<anne@example.com>"));
        }
    }

    @Test
    void hooksSeeTheirArgumentsAndMayAnswer() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public HookResult handleHelo(Session session, Envelope envelope, String hostname) {
                calls.add("HELO " + hostname);
                return HookResult.proceed();
            }

            @Override
            public HookResult handleNoop(Session session, Envelope envelope, String argument) {
                calls.add("NOOP " + argument);
                return HookResult.reply("250 noop seen");
            }

            @Override
            public HookResult handleVrfy(Session session, Envelope envelope, String address) {
                calls.add("VRFY " + address);
                return HookResult.reply("250 <" + address + ">");
            }

            @Override
            public HookResult handleRset(Session session, Envelope envelope) {
                calls.add("RSET " + envelope.mailFrom());
                return HookResult.reply("250 reset");
            }

            @Override
            public HookResult handleQuit(Session session, Envelope envelope) {
                calls.add("QUIT");
                return HookResult.reply("221 See you");
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = greeted(s)) {
            assertEquals("250 " + HOST, c.command("HELO client.example"));
            assertEquals("250 noop seen", c.command("NOOP some text"));
            assertEquals("250 <anne@example.com>", c.command("VRFY <anne@example.com>"));
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            assertEquals("250 reset", c.command("RSET"));
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"), "RSET cleared it before the hook");
            c.send("QUIT");
            Fixtures.assertRepliesThenClosed(c, "221 See you");
            assertEquals(List.of("HELO client.example", "NOOP some text", "VRFY anne@example.com", "RSET null",
                    "QUIT"), calls);
        }
    }

    @Test
    void dataHookReplyIsSentAndTheTransactionEnds() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleData(Session session, Envelope envelope) {
                return HookResult.reply("499 Could not accept the message");
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = Fixtures.inData(s)) {
            assertEquals("499 Could not accept the message", Fixtures.sendMessage(c, "x\r\n"));
            assertEquals(S503_MAIL_NEEDED, c.command("RCPT TO:<bart@example.com>"));
        }
    }
}
