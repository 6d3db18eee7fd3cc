package io.smtpd.handlers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.smtpd.api.HookResult;
import io.smtpd.api.reply.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProxyTest {
    private static final String MESSAGE = "From: a@example.com\r\nSubject: hi\r\n\r\nHello\r\n";

    private FakeUpstream upstream;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = new FakeUpstream();
    }

    @AfterEach
    void stopUpstream() throws Exception {
        upstream.close();
    }

    private Proxy proxy() {
        return new Proxy("127.0.0.1", upstream.port(), Duration.ofSeconds(5));
    }

    private static TestEnvelope envelope(String content) {
        return TestEnvelope.of("a@example.com", List.of("b@example.com", "c@example.com"), content);
    }

    private Reply relay(Proxy proxy, TestEnvelope envelope) throws Exception {
        return Hooks.reply(proxy.handleData(TestSession.from("127.0.0.1"), envelope));
    }

    @Test
    void relaysTheEnvelopeAndAnswersWithTheUpstreamVerdict() throws Exception {
        Reply reply = relay(proxy(), envelope(MESSAGE));

        assertEquals(Reply.of(250, "2.0.0 Ok: queued as 4BQ"), reply);
        FakeUpstream.Conversation conversation = upstream.next();
        assertEquals("EHLO smtpd.test", conversation.commands().get(0));
        assertEquals("MAIL FROM:<a@example.com>", conversation.command("MAIL"));
        assertEquals(List.of("RCPT TO:<b@example.com>", "RCPT TO:<c@example.com>"), conversation.commands("RCPT"));
        assertEquals(List.of("EHLO", "MAIL", "RCPT", "RCPT", "DATA", "QUIT"),
                conversation.commands().stream().map(c -> c.split(" ", 2)[0]).toList());
    }

    @Test
    void insertsXPeerBeforeTheHeaderBodySeparator() throws Exception {
        relay(proxy(), envelope(MESSAGE));

        assertEquals("From: a@example.com\r\nSubject: hi\r\nX-Peer: 127.0.0.1\r\n\r\nHello\r\n",
                upstream.next().dataText());
    }

    @Test
    void insertsXPeerAfterTheHeadersOfAMessageWithoutBody() throws Exception {
        relay(proxy(), envelope("Subject: no body\r\n"));

        assertEquals("Subject: no body\r\nX-Peer: 127.0.0.1\r\n", upstream.next().dataText());
    }

    @Test
    void insertsXPeerAndASeparatorBeforeABodyThatHasNoHeaders() throws Exception {
        relay(proxy(), envelope("just text\r\n"));

        assertEquals("X-Peer: 127.0.0.1\r\n\r\njust text\r\n", upstream.next().dataText());
    }

    @Test
    void sendsBareCrAndBareLfAsCrlf() throws Exception {
        relay(proxy(), envelope("Subject: x\n\nline1\rline2\nline3\r\nlast"));

        byte[] wire = upstream.next().wireData();
        assertEquals("Subject: x\r\nX-Peer: 127.0.0.1\r\n\r\nline1\r\nline2\r\nline3\r\nlast\r\n",
                new String(wire, StandardCharsets.UTF_8));
        for (int i = 0; i < wire.length; i++) {
            if (wire[i] == '\r') {
                assertEquals('\n', wire[i + 1], "bare CR at " + i);
            } else if (wire[i] == '\n') {
                assertEquals('\r', wire[i - 1], "bare LF at " + i);
            }
        }
    }

    @Test
    void dotStuffsLinesThatStartWithADot() throws Exception {
        String content = "Subject: dots\r\n\r\n.hidden\r\n..two\r\n.\r\nafter the lone dot\r\n.";
        relay(proxy(), envelope(content));

        FakeUpstream.Conversation conversation = upstream.next();
        assertEquals("Subject: dots\r\nX-Peer: 127.0.0.1\r\n\r\n..hidden\r\n...two\r\n..\r\nafter the lone dot\r\n..\r\n",
                new String(conversation.wireData(), StandardCharsets.UTF_8));
        assertEquals("Subject: dots\r\nX-Peer: 127.0.0.1\r\n\r\n.hidden\r\n..two\r\n.\r\nafter the lone dot\r\n.\r\n",
                conversation.dataText());
    }

    @Test
    void smugglingAttemptWithBareLfDotStaysInsideTheMessage() throws Exception {
        relay(proxy(), envelope("Subject: s\r\n\r\nbody\n.\nMAIL FROM:<evil@example.com>\r\n"));

        FakeUpstream.Conversation conversation = upstream.next();
        assertEquals("Subject: s\r\nX-Peer: 127.0.0.1\r\n\r\nbody\r\n..\r\nMAIL FROM:<evil@example.com>\r\n",
                new String(conversation.wireData(), StandardCharsets.UTF_8));
        assertEquals(1, conversation.commands("MAIL").size());
    }

    @Test
    void usesTheNullSender() throws Exception {
        relay(proxy(), TestEnvelope.of("<>", List.of("b@example.com"), MESSAGE));

        assertEquals("MAIL FROM:<>", upstream.next().command("MAIL"));
    }

    @Test
    void forwardsBody8bitmimeAndSmtputf8WhenTheUpstreamOffersThem() throws Exception {
        TestEnvelope envelope = envelope(MESSAGE).mailOptions("BODY=8BITMIME", "SMTPUTF8");
        envelope.setSmtpUtf8(true);
        relay(proxy(), envelope);

        assertEquals("MAIL FROM:<a@example.com> BODY=8BITMIME SMTPUTF8", upstream.next().command("MAIL"));
    }

    @Test
    void leavesOutParametersTheUpstreamDoesNotOffer() throws Exception {
        upstream.ehloLines = List.of("upstream.test");
        TestEnvelope envelope = envelope(MESSAGE).mailOptions("BODY=8BITMIME", "SMTPUTF8");
        envelope.setSmtpUtf8(true);
        relay(proxy(), envelope);

        assertEquals("MAIL FROM:<a@example.com>", upstream.next().command("MAIL"));
    }

    @Test
    void fallsBackToHeloWhenEhloIsRefused() throws Exception {
        upstream.ehloFailure = "502 5.5.2 Error: command not recognized";
        Reply reply = relay(proxy(), envelope(MESSAGE));

        assertEquals(250, reply.code());
        List<String> commands = upstream.next().commands();
        assertEquals(List.of("EHLO smtpd.test", "HELO smtpd.test"), commands.subList(0, 2));
    }

    @Test
    void passesTheUpstreamRefusalOfTheMessageThrough() throws Exception {
        upstream.finalReply = "554 5.7.1 Message rejected as spam";
        Reply reply = relay(proxy(), envelope(MESSAGE));

        assertEquals(Reply.of(554, "5.7.1 Message rejected as spam"), reply);
    }

    @Test
    void passesTheUpstreamRefusalOfDataThrough() throws Exception {
        upstream.dataReply = "554 5.5.1 Error: no valid recipients";
        Reply reply = relay(proxy(), envelope(MESSAGE));

        assertEquals(Reply.of(554, "5.5.1 Error: no valid recipients"), reply);
        assertNull(upstream.next().data());
    }

    @Test
    void passesAMultilineVerdictThrough() throws Exception {
        upstream.finalReply = "550-5.7.1 first line\r\n550 5.7.1 second line";
        Reply reply = relay(proxy(), envelope(MESSAGE));

        assertEquals(Reply.of(550, List.of("5.7.1 first line", "5.7.1 second line")), reply);
    }

    @Test
    void answersTheUpstreamRcptReplyWhenEveryRecipientIsRefused() throws Exception {
        upstream.rcptReplies.put("b@example.com", "550 5.1.1 <b@example.com>: Recipient address rejected");
        upstream.rcptReplies.put("c@example.com", "550 5.1.1 <c@example.com>: Recipient address rejected");
        Reply reply = relay(proxy(), envelope(MESSAGE));

        assertEquals(Reply.of(550, "5.1.1 <b@example.com>: Recipient address rejected"), reply);
        FakeUpstream.Conversation conversation = upstream.next();
        assertNull(conversation.command("DATA"));
    }

    @Test
    void deliversToTheRecipientsTheUpstreamAccepted() throws Exception {
        upstream.rcptReplies.put("b@example.com", "550 5.1.1 unknown user");
        Reply reply = relay(proxy(), envelope(MESSAGE));

        assertEquals(250, reply.code());
        assertEquals("From: a@example.com\r\nSubject: hi\r\nX-Peer: 127.0.0.1\r\n\r\nHello\r\n",
                upstream.next().dataText());
    }

    @Test
    void answersEachLmtpRecipientWithItsOwnOutcome() throws Exception {
        upstream.rcptReplies.put("b@example.com", "550 5.1.1 unknown user");
        HookResult result = Hooks.settled(proxy().handleData(TestSession.lmtpFrom("127.0.0.1"), envelope(MESSAGE)));

        assertEquals(HookResult.Kind.REPLIES, result.kind());
        assertEquals(List.of(Reply.of(550, "5.1.1 unknown user"), Reply.of(250, "2.0.0 Ok: queued as 4BQ")),
                result.replyValues());
    }

    @Test
    void passesAPermanentSenderRefusalThrough() throws Exception {
        upstream.mailReply = "553 5.1.8 Sender address rejected";
        Reply reply = relay(proxy(), envelope(MESSAGE));

        assertEquals(Reply.of(553, "5.1.8 Sender address rejected"), reply);
    }

    @Test
    void answers451WhenTheUpstreamDefersTheSender() throws Exception {
        upstream.mailReply = "450 4.7.1 Try again later";

        assertEquals(Proxy.UPSTREAM_UNAVAILABLE, relay(proxy(), envelope(MESSAGE)));
    }

    @Test
    void answers451WhenTheUpstreamRefusesToGreet() throws Exception {
        upstream.greeting = "554 5.3.2 No service here";

        assertEquals(Proxy.UPSTREAM_UNAVAILABLE, relay(proxy(), envelope(MESSAGE)));
    }

    @Test
    void answers451WhenTheUpstreamClosesTheSessionWith421() throws Exception {
        upstream.finalReply = "421 4.3.2 Shutting down";

        assertEquals(Proxy.UPSTREAM_UNAVAILABLE, relay(proxy(), envelope(MESSAGE)));
    }

    @Test
    void answers451WhenTheUpstreamIsDown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Proxy proxy = new Proxy("127.0.0.1", closedPort, Duration.ofSeconds(5));

        Reply reply = relay(proxy, envelope(MESSAGE));

        assertEquals(Proxy.UPSTREAM_UNAVAILABLE, reply);
        assertEquals(451, reply.code());
        assertEquals("4.4.1 Error: upstream unavailable", reply.text());
    }

    @Test
    void answers451InBoundedTimeWhenTheUpstreamNeverGreets() throws Exception {
        upstream.behaviour = FakeUpstream.Behaviour.SILENT;
        Proxy proxy = new Proxy("127.0.0.1", upstream.port(), Duration.ofMillis(300));

        long start = System.nanoTime();
        Reply reply = relay(proxy, envelope(MESSAGE));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(Proxy.UPSTREAM_UNAVAILABLE, reply);
        assertTrue(millis >= 250 && millis < 10_000, "answered after " + millis + " ms");
    }

    @Test
    void answers451InBoundedTimeWhenTheUpstreamStopsReadingTheMessage() throws Exception {
        upstream.behaviour = FakeUpstream.Behaviour.STOP_READING_AFTER_354;
        Proxy proxy = new Proxy("127.0.0.1", upstream.port(), Duration.ofMillis(500));
        byte[] big = new byte[32 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        for (int i = 998; i < big.length; i += 1000) {
            big[i] = '\r';
            big[i + 1] = '\n';
        }

        long start = System.nanoTime();
        Reply reply = Hooks.reply(proxy.handleData(TestSession.from("127.0.0.1"),
                TestEnvelope.of("a@example.com", List.of("b@example.com"), big)));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(Proxy.UPSTREAM_UNAVAILABLE, reply);
        assertTrue(millis < 15_000, "answered after " + millis + " ms");
    }

    @Test
    void answers451WhenTheUpstreamSpeaksNoSmtp() throws Exception {
        upstream.greeting = "HTTP/1.1 400 Bad Request";

        assertEquals(Proxy.UPSTREAM_UNAVAILABLE, relay(proxy(), envelope(MESSAGE)));
    }

    @Test
    void returnsAtOnceAndTalksToTheUpstreamOnTheExecutor() throws Exception {
        QueuedExecutor executor = new QueuedExecutor();
        Proxy proxy = new Proxy("127.0.0.1", upstream.port(), Duration.ofSeconds(5), executor);

        HookResult result = proxy.handleData(TestSession.from("127.0.0.1"), envelope(MESSAGE));

        assertEquals(HookResult.Kind.LATER, result.kind());
        assertFalse(result.stage().toCompletableFuture().isDone());
        assertEquals(1, executor.pending());
        executor.runAll();
        assertEquals(250, Hooks.reply(result).code());
    }

    @Test
    void answers451WhenTheExecutorIsSaturated() throws Exception {
        Proxy proxy = new Proxy("127.0.0.1", upstream.port(), Duration.ofSeconds(5), task -> {
            throw new RejectedExecutionException("full");
        });

        assertEquals(Proxy.UPSTREAM_UNAVAILABLE, relay(proxy, envelope(MESSAGE)));
    }

    @Test
    void relaysContentThatAHookReplaced() throws Exception {
        TestEnvelope envelope = envelope(MESSAGE);
        envelope.setContent("Subject: replaced\r\n\r\nnew\r\n".getBytes(StandardCharsets.UTF_8));
        relay(proxy(), envelope);

        assertArrayEquals("Subject: replaced\r\nX-Peer: 127.0.0.1\r\n\r\nnew\r\n".getBytes(StandardCharsets.UTF_8),
                upstream.next().data());
    }

    @Test
    void writesTheClientIpOfAnIpv6Client() throws Exception {
        Reply reply = Hooks.reply(proxy().handleData(TestSession.from("::1"), envelope(MESSAGE)));

        assertEquals(250, reply.code());
        String expectedIp = new InetSocketAddress("::1", 0).getAddress().getHostAddress();
        assertTrue(upstream.next().dataText().contains("\r\nX-Peer: " + expectedIp + "\r\n\r\n"));
    }

    @Test
    void rejectsABadPortOrTimeout() {
        assertThrows(IllegalArgumentException.class, () -> new Proxy("h", 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Proxy("h", 25, Duration.ZERO));
    }
}
