package io.smtpd.impl.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.reply.Reply;
import io.smtpd.server.ServerSettings;

/** The state machine without sockets: bytes in, replies out. */
class ConversationTest {
    private static final ServerSettings SETTINGS = ServerSettings.builder().build();

    private static FakeConnection greeted(Handler handler) {
        FakeConnection c = new FakeConnection(SETTINGS, handler);
        assertEquals(List.of("220 mx.test smtpd test"), c.take());
        return c;
    }

    @Test
    void mailBeforeHeloIsRejectedWith503() {
        FakeConnection c = greeted(new Handler() { });
        c.feed("MAIL FROM:<a@b>\r\n");
        assertEquals(List.of("503 Error: send HELO first"), c.take());
    }

    @Test
    void pipelinedTransactionIsAnsweredInOrder() {
        FakeConnection c = greeted(new Handler() { });
        c.feed("HELO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n");
        assertEquals(List.of("250 mx.test", "250 OK", "250 OK", "250 OK", "354 End data with <CR><LF>.<CR><LF>",
                "250 OK", "221 Bye"), c.take());
        assertTrue(c.closed);
    }

    @Test
    void commandsPipelinedBehindAPendingHookWaitAndKeepTheirOrder() {
        CompletableFuture<HookResult> later = new CompletableFuture<>();
        Handler slowMail = new Handler() {
            @Override
            public HookResult handleMail(Session s, Envelope e, String address, List<String> options) {
                return HookResult.later(later);
            }
        };
        FakeConnection c = greeted(slowMail);
        c.feed("HELO x\r\n").take();
        c.feed("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nNOOP\r\n");
        assertEquals(List.of(), c.take());
        assertTrue(c.paused);
        c.execute(() -> later.complete(HookResult.proceed()));
        assertEquals(List.of("250 OK", "250 OK", "250 OK"), c.take());
    }

    @Test
    void aHookThatAnswersItselfChangesNoState() {
        Handler refuses = new Handler() {
            @Override
            public HookResult handleMail(Session s, Envelope e, String address, List<String> options) {
                return HookResult.reply(Reply.of(550, "not you"));
            }
        };
        FakeConnection c = greeted(refuses);
        c.feed("HELO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
        assertEquals(List.of("250 mx.test", "550 not you", "503 Error: need MAIL command"), c.take());
    }

    @Test
    void aThrowingHookGetsAiosmtpdsErrorReplyAndTheSessionGoesOn() {
        Handler throwing = new Handler() {
            @Override
            public HookResult handleNoop(Session s, Envelope e, String argument) {
                throw new IllegalStateException("boom");
            }
        };
        FakeConnection c = greeted(throwing);
        c.feed("NOOP\r\nRSET\r\n");
        assertEquals(List.of("500 Error: (IllegalStateException) boom", "250 OK"), c.take());
    }

    @Test
    void bareLineFeedsNeverEndData() {
        FakeConnection c = greeted(new Handler() { });
        c.feed("HELO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n").take();
        c.feed("a\n.\nb\r.\rc\r\n");
        assertEquals(List.of(), c.take());
        c.feed(".\r\n");
        assertEquals(List.of("250 OK"), c.take());
    }

    @Test
    void aHookThatNeverCompletesIsAnswered451AfterTheHandlerTimeout() throws Exception {
        Handler stuck = new Handler() {
            @Override
            public HookResult handleRcpt(Session s, Envelope e, String address, List<String> options) {
                return HookResult.later(new CompletableFuture<>());
            }
        };
        FakeConnection c = new FakeConnection(ServerSettings.builder()
                .handlerTimeout(java.time.Duration.ofMillis(200)).build(), stuck);
        c.take();
        c.feed("HELO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nNOOP\r\n");
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> replies = new java.util.ArrayList<>();
        while (replies.size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            synchronized (c) {
                replies.addAll(c.take());
            }
        }
        assertEquals(List.of("250 mx.test", "250 OK",
                "451 4.3.0 Error: the handler did not answer in time, try again later", "250 OK"), replies);
    }

    @Test
    void theFifthUnknownCommandClosesTheSession() {
        FakeConnection c = greeted(new Handler() { });
        c.feed("A\r\nB\r\nC\r\nD\r\nE\r\nNOOP\r\n");
        assertEquals(List.of("500 Error: command \"A\" not recognized", "500 Error: command \"B\" not recognized",
                "500 Error: command \"C\" not recognized", "500 Error: command \"D\" not recognized",
                "502 5.5.1 Too many unrecognized commands, goodbye."), c.take());
        assertTrue(c.closed);
    }
}
