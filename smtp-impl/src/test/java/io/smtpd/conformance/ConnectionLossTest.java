package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.greeted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smtpd.api.Envelope;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;

/**
 * The client goes away: a message whose DATA did not complete is never delivered, and a command line cut short by
 * the end of the stream is never executed (CLI.md).
 */
class ConnectionLossTest {

    /** Counts the NOOP and QUIT hooks, to see which commands ran. */
    private static final class CountingHandler extends RecordingHandler {
        final AtomicInteger noops = new AtomicInteger();
        final AtomicInteger quits = new AtomicInteger();

        @Override
        public HookResult handleNoop(Session session, Envelope envelope, String argument) {
            noops.incrementAndGet();
            return HookResult.proceed();
        }

        @Override
        public HookResult handleQuit(Session session, Envelope envelope) {
            quits.incrementAndGet();
            return HookResult.proceed();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"From: <anne@example.com>", "Subject: x\r\n\r\nbody\r\n", "body\r\n.",
        "body\r\n.\r", "body\n.\n", "body\r.\r", "body\n.\r\n"})
    void disconnectInsideDataDeliversNothing(String partial) throws Exception {
        CountingHandler handler = new CountingHandler();
        try (SmtpServer s = Fixtures.start(handler)) {
            try (RawClient c = Fixtures.inData(s)) {
                c.sendRaw(partial);
            }
            Fixtures.awaitNoSessions(s);
            assertTrue(handler.messages().isEmpty(), "delivered: " + handler.messages());
            try (RawClient next = Fixtures.inData(s)) {
                assertEquals(S250_OK, Fixtures.sendMessage(next, "complete\r\n"), "the server goes on");
            }
            assertEquals(1, handler.messages().size());
        }
    }

    @Test
    void resetInsideDataDeliversNothing() throws Exception {
        CountingHandler handler = new CountingHandler();
        try (SmtpServer s = Fixtures.start(handler)) {
            try (RawClient c = Fixtures.inData(s)) {
                c.sendRaw("Subject: x\r\n\r\nbody\r\n");
                c.socket().setSoLinger(true, 0); // close with a TCP reset
            }
            Fixtures.awaitNoSessions(s);
            assertTrue(handler.messages().isEmpty());
        }
    }

    @Test
    void completeMessageFollowedByDisconnectIsDelivered() throws Exception {
        CountingHandler handler = new CountingHandler();
        try (SmtpServer s = Fixtures.start(handler)) {
            try (RawClient c = Fixtures.inData(s)) {
                c.sendRaw("Subject: x\r\n\r\nbody\r\n.\r\n");
                c.socket().shutdownOutput();
                Fixtures.repliesUntilClosed(c);
            }
            Fixtures.awaitNoSessions(s);
            assertEquals(1, handler.messages().size());
        }
    }

    @Test
    void commandWithoutLineEndAtEndOfStreamIsNotExecuted() throws Exception {
        CountingHandler handler = new CountingHandler();
        try (SmtpServer s = Fixtures.start(handler); RawClient c = greeted(s)) {
            c.sendRaw("NOOP\r\nNOOP");
            c.socket().shutdownOutput();
            List<String> replies = Fixtures.repliesUntilClosed(c);
            assertTrue(replies.size() <= 1 && replies.stream().allMatch(S250_OK::equals), replies.toString());
            Fixtures.awaitNoSessions(s);
            assertEquals(1, handler.noops.get());
        }
    }

    @Test
    void quitWithoutLineEndAtEndOfStreamIsNotExecuted() throws Exception {
        CountingHandler handler = new CountingHandler();
        try (SmtpServer s = Fixtures.start(handler); RawClient c = greeted(s)) {
            c.sendRaw("QUIT");
            c.socket().shutdownOutput();
            assertEquals(List.of(), Fixtures.repliesUntilClosed(c));
            Fixtures.awaitNoSessions(s);
            assertEquals(0, handler.quits.get());
        }
    }

    @Test
    void endOfStreamEndsTheSessionAtOnce() throws Exception {
        CountingHandler handler = new CountingHandler();
        try (SmtpServer s = Fixtures.start(handler, b -> b.timeout(java.time.Duration.ofSeconds(60)));
             RawClient c = greeted(s)) {
            c.socket().shutdownOutput();
            long start = System.nanoTime();
            assertEquals(List.of(), Fixtures.repliesUntilClosed(c));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000, "not left to the idle timeout");
            Fixtures.awaitNoSessions(s);
        }
    }

    @Test
    void clientThatConnectsAndClosesAtOnceIsTolerated() throws Exception {
        CountingHandler handler = new CountingHandler();
        try (SmtpServer s = Fixtures.start(handler)) {
            for (int i = 0; i < 20; i++) {
                Fixtures.connect(s).close();
            }
            Fixtures.awaitNoSessions(s);
            try (RawClient c = greeted(s)) {
                assertEquals(S250_OK, c.command("NOOP"));
            }
            assertFalse(handler.noops.get() != 1);
        }
    }
}
