package io.smtpd.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.auth.AuthResult;
import io.smtpd.api.auth.Authenticator;
import io.smtpd.api.auth.LoginPassword;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.command.BuiltinCommands;
import io.smtpd.impl.protocol.Connection;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.EnvelopeState;
import io.smtpd.impl.protocol.ServerContext;
import io.smtpd.server.BareLineEndPolicy;
import io.smtpd.server.ServerSettings;

/**
 * A whole SMTP conversation (framing, commands, DATA, AUTH exchanges, budgets) fed arbitrary bytes cut arbitrarily,
 * without sockets. Nothing escapes as an exception; every reply is well formed (each line a code from 200 to 599,
 * no CR or LF inside a line); nothing is written after a reply that closes; a delivered message never holds a
 * bare CR or LF unless the policy is {@code allow}, and no more messages are delivered than there are CRLF.CRLF
 * terminators in the input (BDAT messages: than BDAT commands); the syntax-error, unknown-command and AUTH-failure budgets end the session when reached.
 *
 * <p>Input: {@code flags, maxErrors, maxUnrecognized, size limit, 4 chunk lengths, buffer kind}, then the stream.
 * Flags: bit 0 SMTPUTF8, bits 1-2 bare line end policy, bit 3 LMTP, bit 4 decode data.
 */
class SessionFuzzTest {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "session-fuzz-timer");
        t.setDaemon(true);
        return t;
    });
    /**
     * A reply line. Client text echoed in a reply (an unknown verb) may hold other control characters, NUL included,
     * as with aiosmtpd; a CR or LF never stays inside a line (a reply's text is cut into lines at them).
     */
    private static final Pattern REPLY_LINE = Pattern.compile("[2-5][0-9][0-9][ -][^\r\n]*");
    private static final BareLineEndPolicy[] POLICIES = BareLineEndPolicy.values();
    /** The server's own replies to a failed AUTH exchange other than 535, as sent. */
    private static final Set<String> AUTH_FAILURES = Set.of(Replies.S501_AUTH_ABORTED.render(false),
            Replies.S501_AUTH_BAD_BASE64.render(false), Replies.S501_AUTH_CANT_SPLIT.render(false),
            Replies.S500_AUTH_LINE_TOO_LONG.render(false));

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    @AfterAll
    static void stopTimer() {
        TIMER.shutdownNow();
    }

    @FuzzTest(maxDuration = "30s")
    void session(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        int flags = input.u8();
        int maxErrors = 1 + input.u8() % 20;
        int maxUnrecognized = 1 + input.u8() % 5;
        int size = input.u8();
        int[] sizes = input.bytes(4);
        int kind = input.u8();
        byte[] stream = input.rest();

        BareLineEndPolicy policy = POLICIES[((flags >> 1) & 3) % POLICIES.length];
        boolean lmtp = (flags & 8) != 0;
        ServerSettings settings = ServerSettings.builder().hostname("mx.test")
                .smtpUtf8((flags & 1) != 0).bareLineEnds(policy).lmtp(lmtp).decodeData((flags & 16) != 0)
                .dataSizeLimit(size == 0 ? ServerSettings.DEFAULT_DATA_SIZE_LIMIT : size * 8L)
                .maxErrors(maxErrors).maxUnrecognizedCommands(maxUnrecognized)
                .authRequireTls(false).build();
        Recorder handler = new Recorder();
        Authenticator authenticator = (session, envelope, mechanism, credentials) ->
                credentials instanceof LoginPassword && "user".equals(((LoginPassword) credentials).loginString())
                        && ((LoginPassword) credentials).passwordEquals("pass".getBytes(StandardCharsets.US_ASCII))
                        ? AuthResult.success("user") : AuthResult.failure();
        ServerContext server = new ServerContext("fuzz", settings, "mx.test", "smtpd fuzz", () -> handler,
                () -> BuiltinCommands.table(settings).build(), () -> authenticator, TIMER);
        FuzzConnection connection = new FuzzConnection();
        Conversation conversation = new Conversation(server, connection);
        connection.conversation = conversation;
        try {
            conversation.start();
            for (ByteBuffer chunk : FuzzInput.chunks(stream, sizes, kind)) {
                connection.feed(chunk);
            }
        } finally {
            conversation.onClosed();
        }

        // replies
        int errors = 0;
        int unrecognized = 0;
        int authFailures = 0;
        for (int i = 0; i < connection.replies.size(); i++) {
            String wire = connection.replies.get(i);
            assertTrue(wire.endsWith("\r\n"), "reply without CRLF");
            String[] lines = wire.substring(0, wire.length() - 2).split("\r\n", -1);
            for (int k = 0; k < lines.length; k++) {
                String line = lines[k];
                assertTrue(REPLY_LINE.matcher(line).matches(), () -> "malformed reply line " + escape(line));
                assertEquals(lines[0].substring(0, 3), line.substring(0, 3), "codes differ within a reply");
                assertEquals(k + 1 < lines.length ? '-' : ' ', line.charAt(3), "continuation marks");
            }
            if (lmtp) {
                continue; // LMTP answers DATA once per recipient, only the last reply counts: not modelled here
            }
            String code = lines[0].substring(0, 3);
            String text = lines[lines.length - 1];
            // 500 Error: command "VERB" not recognized (the verb has no space; a CR or LF in it splits the reply)
            boolean unknownVerb = code.equals("500") && lines[0].startsWith("Error: command \"", 4)
                    && text.endsWith("\" not recognized");
            // a failed AUTH attempt counts against the AUTH budget only (CLI.md: 535, or 501 for a malformed or
            // cancelled exchange), never as a syntax error. Whole replies are compared: VRFY echoes its argument
            // ("502 5.1.3 Could not VRFY <@> Auth aborted" is not an AUTH failure)
            boolean authFailure = code.equals("535") || AUTH_FAILURES.contains(wire);
            if (authFailure) {
                authFailures++;
                if (authFailures == 3) {
                    assertTrue(i + 1 < connection.replies.size()
                                    && connection.replies.get(i + 1).startsWith("421 "),
                            "no 421 after 3 failed AUTH attempts");
                }
            } else if (unknownVerb) {
                unrecognized++;
            } else if (code.equals("500") || code.equals("501") || code.equals("553") || code.equals("555")) {
                errors++;
                if (errors == maxErrors) {
                    assertTrue(i + 1 < connection.replies.size()
                                    && connection.replies.get(i + 1).startsWith("421 "),
                            "no 421 after " + maxErrors + " errors");
                }
            }
            if (text.equals("502 5.5.1 Too many unrecognized commands, goodbye.")) { // not a VRFY echo of it
                unrecognized++;
                assertEquals(maxUnrecognized, unrecognized, "502 goodbye at the wrong count");
            }
        }
        if (!lmtp) {
            assertTrue(errors <= maxErrors, "more syntax errors answered than the budget");
            assertTrue(unrecognized <= maxUnrecognized, "more unknown commands answered than the budget");
            assertTrue(authFailures <= 3, "more failed AUTH attempts answered than the budget");
        }

        // messages
        int terminators = countTerminators(stream);
        assertTrue(handler.messages.size() <= terminators,
                handler.messages.size() + " messages delivered from " + terminators + " terminators");
        int bdats = countBdat(stream);
        assertTrue(handler.chunked.size() <= bdats,
                handler.chunked.size() + " BDAT messages delivered from " + bdats + " BDAT commands");
        for (byte[] content : handler.messages) {
            if (policy != BareLineEndPolicy.ALLOW) {
                for (int i = 0; i < content.length; i++) {
                    if (content[i] == '\r') {
                        assertTrue(i + 1 < content.length && content[i + 1] == '\n', "bare CR delivered");
                    } else if (content[i] == '\n') {
                        assertTrue(i > 0 && content[i - 1] == '\r', "bare LF delivered");
                    }
                }
            }
            assertTrue(content.length == 0 || (content.length >= 2 && content[content.length - 2] == '\r'
                    && content[content.length - 1] == '\n'), "content does not end with CRLF");
        }
    }

    /** Lines that are a lone dot: ".\r\n" after an LF (a command line may end with a bare LF) or at the start. */
    private static int countTerminators(byte[] s) {
        int n = 0;
        for (int i = 0; i + 2 < s.length; i++) {
            if (s[i] == '.' && s[i + 1] == '\r' && s[i + 2] == '\n' && (i == 0 || s[i - 1] == '\n')) {
                n++;
            }
        }
        return n;
    }

    /** Occurrences of "BDAT" in any case: each delivered BDAT message needs at least one (its LAST chunk). */
    private static int countBdat(byte[] s) {
        String text = new String(s, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        int n = 0;
        for (int at = text.indexOf("BDAT"); at >= 0; at = text.indexOf("BDAT", at + 4)) {
            n++;
        }
        return n;
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    /**
     * Records delivered content, DATA's and BDAT's apart (BDAT's octets are taken as sent, RFC 3030: no terminator,
     * no line-end rules); everything else proceeds.
     */
    private static final class Recorder implements Handler {
        final List<byte[]> messages = new ArrayList<>();
        final List<byte[]> chunked = new ArrayList<>();

        @Override
        public HookResult handleData(Session session, Envelope envelope) {
            boolean bdat = ((EnvelopeState) envelope).chunks() != null;
            (bdat ? chunked : messages).add(envelope.content());
            return HookResult.proceed();
        }
    }

    /** A transport without a socket, driven the way the MINA decoder drives it: one item at a time. */
    private static final class FuzzConnection implements Connection {
        final List<String> replies = new ArrayList<>();
        Conversation conversation;
        private boolean closedByReply;
        private boolean closed;

        void feed(ByteBuffer chunk) {
            while (chunk.hasRemaining() && !conversation.isClosed() && !closed) {
                if (conversation.isPaused()) {
                    fail("a synchronous handler left the conversation paused");
                }
                Object item = conversation.framer().next(chunk);
                if (item != null) {
                    conversation.onInput(item);
                }
            }
        }

        @Override
        public void write(Reply reply) {
            if (closedByReply) {
                fail("written after a closing reply: " + escape(reply.render(false)));
            }
            replies.add(reply.render(false));
            if (reply.closesConnection()) {
                closedByReply = true;
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void pauseInput() {
        }

        @Override
        public void resumeInput() {
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("192.0.2.7", 40000);
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 25);
        }

        @Override
        public boolean isClosing() {
            return closed || closedByReply;
        }
    }
}
