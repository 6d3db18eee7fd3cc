package io.smtpd.handlers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking SMTP client connection to the upstream server, with a timeout on connecting, on every read and on
 * every write. Replies are read with bounds (line length, line count), so a broken upstream cannot make us buffer
 * without end.
 */
final class UpstreamConnection implements Closeable {
    private static final int MAX_REPLY_LINE = 2048;
    private static final int MAX_REPLY_LINES = 100;
    private static final int BUFFER = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private UpstreamConnection(Socket socket, Duration timeout) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(new DeadlineOutputStream(socket, timeout), BUFFER);
    }

    static UpstreamConnection open(String host, int port, Duration timeout) throws IOException {
        int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            return new UpstreamConnection(socket, timeout);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one command line and reads its reply. */
    UpstreamReply command(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IOException("Refusing to send a command with a line break");
        }
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
        out.flush();
        return readReply();
    }

    /** A stream for DATA content; {@link DotStuffingOutputStream#finish()} ends it. */
    DotStuffingOutputStream dataStream() {
        return new DotStuffingOutputStream(out);
    }

    /** Reads one reply, single- or multi-line ({@code 250-first}, then {@code 250 last}). */
    UpstreamReply readReply() throws IOException {
        List<String> texts = new ArrayList<>();
        int code = -1;
        while (texts.size() < MAX_REPLY_LINES) {
            String line = readLine();
            if (!isReplyLine(line)) {
                throw new IOException("Malformed reply from upstream: " + UpstreamReply.printable(line));
            }
            if (code < 0) {
                code = Integer.parseInt(line.substring(0, 3));
            }
            texts.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new UpstreamReply(code, List.copyOf(texts));
            }
        }
        throw new IOException("Reply from upstream has more than " + MAX_REPLY_LINES + " lines");
    }

    /** QUIT, as a courtesy: the verdict is known already, so nothing that goes wrong here matters. */
    void quit() {
        try {
            command("QUIT");
        } catch (IOException e) {
            // the connection closes anyway
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("Upstream closed the connection");
            }
            if (line.size() >= MAX_REPLY_LINE) {
                throw new IOException("Reply line from upstream longer than " + MAX_REPLY_LINE + " octets");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Three digits from 200 to 599, then nothing, a space or a hyphen. */
    private static boolean isReplyLine(String line) {
        if (line.length() < 3 || line.charAt(0) < '2' || line.charAt(0) > '5'
                || !isDigit(line.charAt(1)) || !isDigit(line.charAt(2))) {
            return false;
        }
        return line.length() == 3 || line.charAt(3) == ' ' || line.charAt(3) == '-';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
