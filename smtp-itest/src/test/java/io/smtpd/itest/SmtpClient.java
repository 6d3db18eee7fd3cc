package io.smtpd.itest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
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
 * A tiny SMTP client on a raw socket, so that the tests see the exact bytes of every reply. Always on
 * 127.0.0.1; every read has a timeout, so a server that says nothing fails the test instead of hanging it.
 */
public final class SmtpClient implements Closeable {
    public static final String HOST = "127.0.0.1";
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    /** One reply: its code and its lines, each as sent ({@code "250-..."}, then {@code "250 ..."}). */
    public record Response(int code, List<String> lines) {
        /** The last line, the whole reply when it has one line: {@code "259 Pong"}. */
        public String line() {
            return lines.get(lines.size() - 1);
        }

        /** The text of all lines, without codes, joined by spaces. */
        public String text() {
            StringBuilder text = new StringBuilder();
            for (String line : lines) {
                text.append(text.length() == 0 ? "" : " ").append(line.length() > 4 ? line.substring(4) : "");
            }
            return text.toString();
        }

        @Override
        public String toString() {
            return String.join("\\r\\n", lines);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Response greeting;

    private SmtpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.greeting = read();
    }

    /** Connects to 127.0.0.1:{@code port} and reads the greeting. */
    public static SmtpClient connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(HOST, port), READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new SmtpClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public Response greeting() {
        return greeting;
    }

    /** Sends one command line and reads its reply. */
    public Response send(String line) throws IOException {
        write(line + "\r\n");
        return read();
    }

    /** Writes raw text, no reply expected. */
    public void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads one (possibly multi-line) reply; fails when the server closes or stays silent. */
    public Response read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed by the server" + (lines.isEmpty() ? "" : " after " + lines));
            }
            if (line.length() < 3) {
                throw new IOException("not an SMTP reply line: '" + line + "'");
            }
            lines.add(line);
            if (line.length() == 3 || line.charAt(3) != '-') {
                return new Response(Integer.parseInt(line.substring(0, 3)), List.copyOf(lines));
            }
        }
    }

    /**
     * One whole mail transaction (MAIL, RCPT, DATA, content, dot) in a session that said HELO or EHLO.
     *
     * @return the reply to the end of DATA
     */
    public Response deliver(String from, String to, String content) throws IOException {
        expect(250, send("MAIL FROM:<" + from + ">"));
        expect(250, send("RCPT TO:<" + to + ">"));
        expect(354, send("DATA"));
        return endData(content);
    }

    /** Sends content (CRLF lines, no dot-stuffing needed for the tests' texts) and the terminating dot. */
    public Response endData(String content) throws IOException {
        write(content.endsWith("\r\n") ? content : content + "\r\n");
        return send(".");
    }

    /** Waits for the server to close the connection, giving back what it said before. */
    public List<String> awaitClose() throws IOException {
        List<String> said = new ArrayList<>();
        try {
            for (String line = readLine(); line != null; line = readLine()) {
                said.add(line);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open; it said " + said, e);
        } catch (IOException reset) {
            // a reset is a close too
        }
        return said;
    }

    private static void expect(int code, Response response) {
        if (response.code() != code) {
            throw new AssertionError("expected " + code + ", got " + response);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
