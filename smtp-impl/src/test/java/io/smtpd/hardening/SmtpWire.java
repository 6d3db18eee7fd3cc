package io.smtpd.hardening;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.smtpd.testing.RawClient;

/**
 * The raw client for the hardening and load tests: buffered (so {@link #queue} pipelines), generous timeouts (the
 * build machine is small and busy), and helpers that check codes, run transactions and watch for the close.
 */
public final class SmtpWire extends RawClient {
    /** Read timeout unless changed: long enough for a loaded machine, short enough to fail a hung test. */
    public static final int TIMEOUT_MILLIS = 20_000;

    public SmtpWire(InetSocketAddress address) throws IOException {
        this(address, null);
    }

    /** @param configure called on the unconnected socket (buffer sizes, linger) */
    public SmtpWire(InetSocketAddress address, Consumer<Socket> configure) throws IOException {
        super(address, TIMEOUT_MILLIS, true, configure);
    }

    /** Sends a command and checks the code of its reply. */
    public String expect(String line, int code) throws IOException {
        String reply = command(line);
        if (!reply.startsWith(Integer.toString(code))) {
            throw new AssertionError("to " + printable(line) + " expected " + code + " but got: " + reply);
        }
        return reply;
    }

    /** The next reply, which must have {@code code}. */
    public String expect(int code) throws IOException {
        String reply = reply();
        if (!reply.startsWith(Integer.toString(code))) {
            throw new AssertionError("expected " + code + " but got: " + reply);
        }
        return reply;
    }

    /** Reads the greeting and says EHLO. */
    public SmtpWire hello() throws IOException {
        expect(220);
        expect("EHLO client.test", 250);
        return this;
    }

    /** One whole transaction; {@code content} as it goes on the wire (dot-stuffed, CRLF), without the terminator. */
    public String transaction(String from, String to, String content) throws IOException {
        expect("MAIL FROM:<" + from + ">", 250);
        expect("RCPT TO:<" + to + ">", 250);
        expect("DATA", 354);
        sendRaw(content + "\r\n.\r\n");
        return reply();
    }

    /**
     * Reads and discards until the server closes the connection, at most {@code millis}.
     *
     * @return whether it closed (end of stream or reset) in time
     */
    public boolean awaitClose(long millis) throws IOException {
        Socket socket = socket();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        byte[] sink = new byte[8192];
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000L)));
                try {
                    if (in().read(sink) < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // poll again until the deadline
                }
            }
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(timeoutMillis());
            }
        }
    }

    /** Whole replies until the server closes (or {@code millis} pass), e.g. the replies before a 421. */
    public List<String> repliesUntilClose(long millis) throws IOException {
        List<String> replies = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        socket().setSoTimeout((int) Math.max(1, millis));
        try {
            while (System.nanoTime() < deadline) {
                replies.add(reply());
            }
        } catch (EOFException | java.net.SocketException closed) {
            return replies;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("not closed within " + millis + " ms; replies: " + replies, e);
        }
        throw new AssertionError("not closed within " + millis + " ms; replies: " + replies);
    }

    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : (s.length() > 80 ? s.substring(0, 80) + "..." : s).toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    /** Closes with a TCP reset instead of a FIN: an abrupt disconnect. */
    public void reset() throws IOException {
        Socket socket = socket();
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
