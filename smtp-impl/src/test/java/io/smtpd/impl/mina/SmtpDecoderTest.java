package io.smtpd.impl.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.protocol.CommandTable;
import io.smtpd.impl.protocol.ServerContext;
import io.smtpd.impl.server.ServerRuntime;
import io.smtpd.server.ServerSettings;

/**
 * The decoder and IoHandler over MINA's {@link ProtocolCodecSession}, without sockets: one item per decode call, so
 * a command changes how the very next byte is read (DATA), and the same replies however the input is cut.
 */
class SmtpDecoderTest {
    private static final String SESSION = "EHLO client.example\r\nMAIL FROM:<anne@example.com>\r\n"
            + "RCPT TO:<bart@example.com>\r\nDATA\r\nSubject: x\r\n\r\n..dot\r\nMAIL FROM:<evil@example.com>\n.\n"
            + "still content\r\n.\r\nNOOP\r\nMAIL FROM:<cate@example.com>\r\nRCPT TO:<dave@example.com>\r\nDATA\r\n"
            + ".\r\nQUIT\r\n";

    private ScheduledThreadPoolExecutor timer;

    @BeforeEach
    void startTimer() {
        timer = ServerRuntime.newTimer("decoder-test");
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    /** One connection: the production IoHandler and decoder on a dummy session; replies as they are written. */
    private final class Harness {
        final ProtocolCodecSession session = new ProtocolCodecSession();
        final List<String> replies = new CopyOnWriteArrayList<>();
        final List<String> contents = new CopyOnWriteArrayList<>();
        final SmtpIoHandler handler;

        Harness(Handler hooks) {
            ServerSettings settings = ServerSettings.builder().hostname("mx.test").build();
            CommandTable commands = ServerRuntime.builtins(settings).build();
            Handler recording = new Handler() {
                @Override
                public HookResult handleData(Session s, Envelope envelope) {
                    contents.add(new String(envelope.content(), StandardCharsets.ISO_8859_1));
                    return hooks.handleData(s, envelope);
                }

                @Override
                public HookResult handleMail(Session s, Envelope envelope, String address, List<String> options) {
                    return hooks.handleMail(s, envelope, address, options);
                }
            };
            ServerContext context = new ServerContext("test", settings, "mx.test", "smtpd test", () -> recording,
                    () -> commands, () -> null, timer);
            handler = new SmtpIoHandler(() -> context, () -> (client, local) -> null);
            session.setRemoteAddress(new InetSocketAddress("127.0.0.1", 40000));
            session.setLocalAddress(new InetSocketAddress("127.0.0.1", 25));
            session.setHandler(new IoHandlerAdapter() {
                @Override
                public void messageSent(IoSession s, Object message) throws Exception {
                    if (message instanceof Reply) {
                        replies.add(message.toString());
                    }
                    handler.messageSent(s, message);
                }
            });
            handler.sessionCreated(session);
            handler.sessionOpened(session);
        }

        /** Hands {@code bytes} to the decoder as {@code ProtocolCodecFilter} does: decode until consumed. */
        void feed(byte[] bytes, int from, int to) throws Exception {
            IoBuffer in = IoBuffer.wrap(bytes, from, to - from);
            while (in.hasRemaining()) {
                int before = in.position();
                SmtpDecoder.INSTANCE.decode(session, in, session.getDecoderOutput());
                for (Object item; (item = session.getDecoderOutputQueue().poll()) != null; ) {
                    handler.messageReceived(session, item);
                }
                if (in.position() == before) {
                    break;
                }
            }
        }
    }

    private static List<String> expectedReplies() {
        return List.of("220 mx.test smtpd test",
                "250-mx.test\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 HELP",
                "250 OK", "250 OK", "354 End data with <CR><LF>.<CR><LF>", "250 OK", "250 OK", "250 OK", "250 OK",
                "354 End data with <CR><LF>.<CR><LF>", "250 OK", "221 Bye");
    }

    private Harness run(byte[] input, int[] cuts) throws Exception {
        Harness h = new Harness(new Handler() { });
        int start = 0;
        for (int cut : cuts) {
            h.feed(input, start, cut);
            start = cut;
        }
        h.feed(input, start, input.length);
        return h;
    }

    @Test
    void sessionDecodesTheSameWhereverTheInputIsCut() throws Exception {
        byte[] input = SESSION.getBytes(StandardCharsets.US_ASCII);
        Harness whole = run(input, new int[0]);
        List<String> replies = new ArrayList<>(whole.replies);
        assertEquals(expectedReplies().size(), replies.size(), replies.toString());
        assertEquals(expectedReplies().get(0), replies.get(0));
        assertTrue(replies.get(1).startsWith("250-mx.test\r\n") && replies.get(1).endsWith("250 HELP"));
        assertEquals(expectedReplies().subList(2, expectedReplies().size()), replies.subList(2, replies.size()));
        List<String> contents = List.of("Subject: x\r\n\r\n.dot\r\nMAIL FROM:<evil@example.com>\n.\nstill content\r\n",
                "");
        assertContentIsOneOf(contents, whole.contents);
        for (int cut = 0; cut <= input.length; cut++) {
            Harness h = run(input, new int[] {cut});
            assertEquals(replies, h.replies, "cut at " + cut);
            assertEquals(whole.contents, h.contents, "cut at " + cut);
        }
        int[] everyByte = new int[input.length];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i;
        }
        Harness bytewise = run(input, everyByte);
        assertEquals(replies, bytewise.replies, "byte by byte");
        assertEquals(whole.contents, bytewise.contents, "byte by byte");
    }

    private static void assertContentIsOneOf(List<String> asSent, List<String> stored) {
        assertEquals(asSent.size(), stored.size(), stored.toString());
        for (int i = 0; i < asSent.size(); i++) {
            String normalized = asSent.get(i).replace("\r\n", "\u0000").replace("\n", "\r\n").replace("\u0000", "\r\n");
            assertTrue(stored.get(i).equals(asSent.get(i)) || stored.get(i).equals(normalized), stored.get(i));
        }
    }

    @Test
    void inputBehindAPendingHookWaitsAndKeepsItsOrder() throws Exception {
        CompletableFuture<HookResult> decision = new CompletableFuture<>();
        Harness h = new Harness(new Handler() {
            @Override
            public HookResult handleMail(Session s, Envelope envelope, String address, List<String> options) {
                return HookResult.later(decision);
            }
        });
        byte[] input = ("HELO x\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\nhi\r\n.\r\n"
                + "NOOP\r\n").getBytes(StandardCharsets.US_ASCII);
        h.feed(input, 0, 20);
        h.feed(input, 20, input.length);
        assertEquals(List.of("220 mx.test smtpd test", "250 mx.test"), h.replies, "nothing after the pending MAIL");
        assertFalse(h.contents.size() > 0);
        decision.complete(HookResult.proceed());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (h.replies.size() < 7 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(List.of("220 mx.test smtpd test", "250 mx.test", "250 OK", "250 OK",
                "354 End data with <CR><LF>.<CR><LF>", "250 OK", "250 OK"), h.replies);
        assertEquals(List.of("hi\r\n"), h.contents);
    }

    @Test
    void lineCutShortByTheEndOfInputIsNotExecuted() throws Exception {
        Harness h = new Harness(new Handler() { });
        byte[] input = "NOOP\r\nQUIT".getBytes(StandardCharsets.US_ASCII);
        h.feed(input, 0, input.length);
        SmtpDecoder.INSTANCE.finishDecode(h.session, h.session.getDecoderOutput());
        assertTrue(h.session.getDecoderOutputQueue().isEmpty());
        assertEquals(List.of("220 mx.test smtpd test", "250 OK"), h.replies);
    }
}
