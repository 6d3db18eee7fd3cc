package io.smtpd.hardening;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A buffered raw SMTP client for the hardening and load tests: bytes out exactly as given, whole replies in, timeouts
 * everywhere (generous: the build machine is small and busy).
 */
public final class SmtpWire implements AutoCloseable {
    /** Read timeout unless changed: long enough for a loaded machine, short enough to fail a hung test. */
    public static final int TIMEOUT_MILLIS = 20_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public SmtpWire(InetSocketAddress address) throws IOException {
        this(address, null);
    }

    /** @param configure called on the unconnected socket (buffer sizes, linger) */
    public SmtpWire(InetSocketAddress address, java.util.function.Consumer<Socket> configure) throws IOException {
        socket = new Socket();
        if (configure != null) {
            configure.accept(socket);
        }
        socket.connect(address, TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    public Socket socket() {
        return socket;
    }

    /** Sends {@code line} and CRLF. */
    public SmtpWire send(String line) throws IOException {
        return sendRaw(line + "\r\n");
    }

    public SmtpWire sendRaw(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    public SmtpWire send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Buffers without flushing (pipelining). */
    public SmtpWire queue(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public SmtpWire flush() throws IOException {
        out.flush();
        return this;
    }

    /** One whole reply, its lines joined with CRLF, without the final CRLF. */
    public String reply() throws IOException {
        List<String> lines = new ArrayList<>(2);
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new EOFException("connection closed; reply so far: " + lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return String.join("\r\n", lines);
            }
        }
    }

    public int code() throws IOException {
        return Integer.parseInt(reply().substring(0, 3));
    }

    /** Sends a command and returns its reply. */
    public String command(String line) throws IOException {
        send(line);
        return reply();
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
        long deadline = System.nanoTime() + millis * 1_000_000L;
        byte[] sink = new byte[8192];
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000L)));
                try {
                    if (in.read(sink) < 0) {
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
                socket.setSoTimeout(TIMEOUT_MILLIS);
            }
        }
    }

    /** Whole replies until the server closes (or {@code millis} pass), e.g. the replies before a 421. */
    public List<String> repliesUntilClose(long millis) throws IOException {
        List<String> replies = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        socket.setSoTimeout((int) Math.max(1, millis));
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

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return null;
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
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
