package io.smtpd.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import io.smtpd.api.Handler;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;

/**
 * Staged fixtures for the socket tests: a server on 127.0.0.1 and a free port, and clients that are connected,
 * greeted, past HELO or EHLO, or inside a transaction. Waits are bounded by deadlines, never fixed sleeps.
 */
final class Fixtures {
    static final String HOST = TestServers.HOSTNAME;
    static final long DEADLINE_MILLIS = 10_000;

    // aiosmtpd 1.4's replies, as its tests/statuscodes.py spells them
    static final String S250_OK = "250 OK";
    static final String S221_BYE = "221 Bye";
    static final String S354_DATA = "354 End data with <CR><LF>.<CR><LF>";
    static final String S500_BAD_SYNTAX = "500 Error: bad syntax";
    static final String S500_CMD_TOO_LONG = "500 Command line too long";
    static final String S500_STRICT_ASCII = "500 Error: strict ASCII mode";
    static final String S500_DATALINE_TOO_LONG = "500 Line too long (see RFC5321 4.5.3.1.6)";
    static final String S501_SYNTAX_MAIL = "501 Syntax: MAIL FROM: <address>";
    static final String S501_SYNTAX_MAIL_E = "501 Syntax: MAIL FROM: <address> [SP <mail-parameters>]";
    static final String S501_SYNTAX_RCPT = "501 Syntax: RCPT TO: <address>";
    static final String S501_SYNTAX_RCPT_E = "501 Syntax: RCPT TO: <address> [SP <mail-parameters>]";
    static final String S502_TOO_MANY_UNRECOG = "502 5.5.1 Too many unrecognized commands, goodbye.";
    static final String S503_HELO_FIRST = "503 Error: send HELO first";
    static final String S503_MAIL_NEEDED = "503 Error: need MAIL command";
    static final String S503_RCPT_NEEDED = "503 Error: need RCPT command";
    static final String S503_NESTED_MAIL = "503 Error: nested MAIL command";
    static final String S552_TOO_MUCH = "552 Error: Too much mail data";
    static final String S553_MALFORMED = "553 5.1.3 Error: malformed address";

    private Fixtures() {
    }

    /** A server with the test defaults ({@link TestServers#settings()}) and {@code handler}. */
    static SmtpServer start(Handler handler) {
        return TestServers.start(handler);
    }

    /** A server with the test defaults changed by {@code settings}. */
    static SmtpServer start(Handler handler, UnaryOperator<ServerSettings.Builder> settings) {
        return TestServers.start(handler, settings.apply(TestServers.settings()));
    }

    static RawClient connect(SmtpServer server) throws IOException {
        return new RawClient(server.localAddress());
    }

    /** Connected, the 220 greeting read. */
    static RawClient greeted(SmtpServer server) throws IOException {
        RawClient c = connect(server);
        String greeting = c.reply();
        assertTrue(greeting.startsWith("220 " + HOST + " "), greeting);
        return c;
    }

    /** Greeted and past {@code HELO client.example}. */
    static RawClient heloed(SmtpServer server) throws IOException {
        RawClient c = greeted(server);
        assertEquals("250 " + HOST, c.command("HELO client.example"));
        return c;
    }

    /** Greeted and past {@code EHLO client.example}. */
    static RawClient ehloed(SmtpServer server) throws IOException {
        RawClient c = greeted(server);
        String reply = c.command("EHLO client.example");
        assertTrue(reply.startsWith("250-" + HOST + "\r\n") && reply.endsWith("250 HELP"), reply);
        return c;
    }

    /** After EHLO, MAIL and one RCPT. */
    static RawClient inTransaction(SmtpServer server) throws IOException {
        RawClient c = ehloed(server);
        assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
        assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
        return c;
    }

    /** After EHLO, MAIL, RCPT and DATA: the next bytes are message content. */
    static RawClient inData(SmtpServer server) throws IOException {
        RawClient c = inTransaction(server);
        assertEquals(S354_DATA, c.command("DATA"));
        return c;
    }

    /** Sends a whole message (content as given, then the terminator) and returns the reply. */
    static String sendMessage(RawClient c, String content) throws IOException {
        c.sendRaw(content + ".\r\n");
        return c.reply();
    }

    /** The replies left before the server closes the connection; fails if it does not close in time. */
    static List<String> repliesUntilClosed(RawClient c) throws IOException {
        List<String> replies = new ArrayList<>();
        while (true) {
            try {
                replies.add(c.reply());
            } catch (SocketTimeoutException e) {
                fail("the server did not close the connection; replies: " + replies);
            } catch (IOException e) {
                String message = String.valueOf(e.getMessage());
                if (message.startsWith("connection closed; read so far: []") || message.contains("reset")
                        || message.contains("Broken pipe")) {
                    return replies;
                }
                throw e;
            }
        }
    }

    /** Asserts that {@code expected} are the last replies and that the server then closes the connection. */
    static void assertRepliesThenClosed(RawClient c, String... expected) throws IOException {
        assertEquals(Arrays.asList(expected), repliesUntilClosed(c));
    }

    /** Waits until {@code condition} holds, failing with {@code what} after the deadline. */
    static void await(BooleanSupplier condition, String what) {
        await(condition, what, DEADLINE_MILLIS);
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code millis}. */
    static void await(BooleanSupplier condition, String what, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** Waits until the server has no session open (the connections of a test are fully closed). */
    static void awaitNoSessions(SmtpServer server) {
        await(() -> server.openSessions() == 0, "all sessions to close");
    }

    /** The lines of a multi-line reply, without their code and separator. */
    static List<String> lines(String reply) {
        List<String> out = new ArrayList<>();
        for (String line : reply.split("\r\n")) {
            out.add(line.substring(4));
        }
        return out;
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A bare CR or LF is stored as sent or made CRLF (CLI.md): either form of {@code sent} is accepted. */
    static void assertStoredAsSentOrNormalized(String sent, String stored) {
        String normalized = sent.replace("\r\n", "\u0000").replace("\r", "\n").replace("\n", "\r\n")
                .replace("\u0000", "\r\n");
        assertTrue(stored.equals(sent) || stored.equals(normalized),
                () -> "stored: " + escape(stored) + "\nsent:   " + escape(sent));
    }

    static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** The one message the handler has, waiting for it; fails if more arrive. */
    static RecordingHandler.Message onlyMessage(RecordingHandler handler) throws InterruptedException {
        RecordingHandler.Message m = handler.take();
        assertEquals(1, handler.messages().size(), "messages delivered");
        return m;
    }

    /** Writes {@code pattern} over and over until the socket takes nothing for a second; returns the octets taken. */
    static long writeUntilStalled(SocketChannel ch, byte[] pattern, long bound) throws Exception {
        ByteBuffer out = ByteBuffer.wrap(pattern);
        long written = 0;
        long lastProgress = System.nanoTime();
        long deadline = lastProgress + 30_000_000_000L;
        while (written < bound) {
            if (!out.hasRemaining()) {
                out.rewind();
            }
            int n = ch.write(out);
            long now = System.nanoTime();
            if (n > 0) {
                written += n;
                lastProgress = now;
            } else if (now - lastProgress > 1_000_000_000L) {
                return written;
            } else {
                Thread.sleep(1);
            }
            if (now > deadline) {
                fail("neither stalled nor over the bound in time: " + written + " octets");
            }
        }
        return written;
    }
}
