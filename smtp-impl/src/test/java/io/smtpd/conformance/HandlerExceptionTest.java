package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S503_MAIL_NEEDED;
import static io.smtpd.conformance.Fixtures.ehloed;
import static io.smtpd.conformance.Fixtures.greeted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.reply.Reply;
import io.smtpd.api.reply.SmtpRejectException;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;

/**
 * A hook that throws: aiosmtpd's {@code handle_exception}, by default {@code 500 Error: (ExcClass) message}, and
 * the session goes on.
 */
class HandlerExceptionTest {
    private static final String BOOM = "500 Error: (IllegalStateException) boom";

    /** A handler whose MAIL hook throws. */
    private static class ThrowingMail implements Handler {
        @Override
        public HookResult handleMail(Session session, Envelope envelope, String address, List<String> options) {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void exceptionInAHookIsAnswered500AndTheSessionGoesOn() throws Exception {
        try (SmtpServer s = Fixtures.start(new ThrowingMail()); RawClient c = ehloed(s)) {
            assertEquals(BOOM, c.command("MAIL FROM:<anne@example.com>"));
            assertEquals(S503_MAIL_NEEDED, c.command("RCPT TO:<bart@example.com>"), "nothing was recorded");
            assertEquals(S250_OK, c.command("NOOP"));
            assertEquals(BOOM, c.command("MAIL FROM:<anne@example.com>"));
        }
    }

    @Test
    void exceptionInTheDataHookIsAnswered500() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleData(Session session, Envelope envelope) {
                throw new IllegalStateException("boom");
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = Fixtures.inData(s)) {
            assertEquals(BOOM, Fixtures.sendMessage(c, "x\r\n"));
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }

    @Test
    void exceptionOfEveryHookGoesTheSameWay() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleHelo(Session session, Envelope envelope, String hostname) {
                throw new IllegalStateException("boom");
            }

            @Override
            public HookResult handleNoop(Session session, Envelope envelope, String argument) {
                throw new IllegalStateException("boom");
            }

            @Override
            public HookResult handleVrfy(Session session, Envelope envelope, String address) {
                throw new IllegalStateException("boom");
            }

            @Override
            public HookResult handleRset(Session session, Envelope envelope) {
                throw new IllegalStateException("boom");
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = greeted(s)) {
            assertEquals(BOOM, c.command("HELO client.example"));
            assertEquals(BOOM, c.command("NOOP"));
            assertEquals(BOOM, c.command("VRFY anne@example.com"));
            assertEquals(BOOM, c.command("RSET"));
            assertTrue(c.command("EHLO client.example").endsWith("250 HELP"));
        }
    }

    @Test
    void laterThatFailsIsAnExceptionToo() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleMail(Session session, Envelope envelope, String address, List<String> options) {
                return HookResult.later(CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException("boom");
                }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)));
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            c.sendRaw("MAIL FROM:<anne@example.com>\r\nNOOP\r\n");
            assertEquals(BOOM, c.reply());
            assertEquals(S250_OK, c.reply());
        }
    }

    @Test
    void handleExceptionChoosesTheReply() throws Exception {
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        Handler handler = new ThrowingMail() {
            @Override
            public HookResult handleException(Session session, Throwable error) {
                seen.add(error);
                return HookResult.reply("451 Temporary error: (" + error.getClass().getSimpleName() + ") "
                        + error.getMessage());
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            assertEquals("451 Temporary error: (IllegalStateException) boom", c.command("MAIL FROM:<a@example.com>"));
            assertEquals(1, seen.size());
            assertTrue(seen.get(0) instanceof IllegalStateException);
        }
    }

    @Test
    void exceptionInHandleExceptionIsDescribedInstead() throws Exception {
        Handler handler = new ThrowingMail() {
            @Override
            public HookResult handleException(Session session, Throwable error) {
                throw new IllegalArgumentException("ErroringErrorHandler test");
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            assertEquals("500 Error: (IllegalArgumentException) ErroringErrorHandler test",
                    c.command("MAIL FROM:<a@example.com>"));
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }

    @Test
    void smtpRejectExceptionAnswersWithItsReply() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleRcpt(Session session, Envelope envelope, String address, List<String> options) {
                throw new SmtpRejectException(Reply.parse("550 5.1.1 Recipient address rejected: User unknown"));
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            assertEquals("550 5.1.1 Recipient address rejected: User unknown", c.command("RCPT TO:<x@example.com>"));
            assertEquals("503 Error: need RCPT command", c.command("DATA"));
        }
    }

    @Test
    void exceptionMessageWithLineBreaksStaysOneReplyLine() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleNoop(Session session, Envelope envelope, String argument) {
                throw new IllegalStateException("first\r\n250 forged\nlast");
            }
        };
        try (SmtpServer s = Fixtures.start(handler); RawClient c = greeted(s)) {
            String reply = c.command("NOOP");
            assertTrue(reply.startsWith("500 Error: (IllegalStateException) first"), reply);
            assertTrue(!reply.contains("\r\n"), "one line: " + reply);
            assertEquals(S250_OK, c.command("RSET"));
        }
    }
}
