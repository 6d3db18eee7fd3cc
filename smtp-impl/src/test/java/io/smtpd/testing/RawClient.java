package io.smtpd.testing;

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
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The raw-socket SMTP client of the tests: bytes out exactly as given, whole replies in, timeouts everywhere. Plain,
 * TLS from the start (SMTPS) or upgraded in place after STARTTLS; the hardening tests' {@code SmtpWire} adds its
 * helpers on top.
 */
public class RawClient implements AutoCloseable {
    public static final int DEFAULT_TIMEOUT_MILLIS = 5000;

    private final int timeoutMillis;
    private final boolean buffered;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** A plaintext connection, unbuffered, {@value #DEFAULT_TIMEOUT_MILLIS} ms timeouts. */
    public RawClient(InetSocketAddress address) throws IOException {
        this(address, DEFAULT_TIMEOUT_MILLIS, false, null);
    }

    /**
     * @param buffered whether writes are buffered (then {@link #queue} pipelines) and reads buffered (64 KiB)
     * @param configure called on the unconnected socket (buffer sizes, linger), or null
     */
    protected RawClient(InetSocketAddress address, int timeoutMillis, boolean buffered, Consumer<Socket> configure)
            throws IOException {
        this(connect(address, timeoutMillis, configure), timeoutMillis, buffered);
        if (buffered) {
            socket.setTcpNoDelay(true); // what is flushed goes out now
        }
    }

    private RawClient(Socket socket, int timeoutMillis, boolean buffered) throws IOException {
        this.timeoutMillis = timeoutMillis;
        this.buffered = buffered;
        use(socket);
    }

    private static Socket connect(InetSocketAddress address, int timeoutMillis, Consumer<Socket> configure)
            throws IOException {
        Socket socket = new Socket();
        if (configure != null) {
            configure.accept(socket);
        }
        socket.connect(address, timeoutMillis);
        return socket;
    }

    /** An implicit TLS connection (SMTPS), handshaken, offering {@code protocols} (the context's when none). */
    public static RawClient tls(InetSocketAddress address, SSLContext context, String... protocols)
            throws IOException {
        Socket raw = connect(address, DEFAULT_TIMEOUT_MILLIS, null);
        return new RawClient(handshake(raw, address.getPort(), context, protocols), DEFAULT_TIMEOUT_MILLIS, false);
    }

    /** After {@code 220 Ready to start TLS}: the handshake on the same connection, which carries on over TLS. */
    public SSLSocket startTls(SSLContext context, String... protocols) throws IOException {
        if (in.available() > 0) {
            throw new IllegalStateException("the server sent more in plaintext after its 220");
        }
        SSLSocket tls = handshake(socket, socket.getPort(), context, protocols);
        use(tls);
        return tls;
    }

    private static SSLSocket handshake(Socket raw, int port, SSLContext context, String... protocols)
            throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", port, true);
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        tls.setSoTimeout(DEFAULT_TIMEOUT_MILLIS);
        tls.startHandshake();
        return tls;
    }

    private void use(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(timeoutMillis);
        in = buffered ? new BufferedInputStream(s.getInputStream(), 64 * 1024) : s.getInputStream();
        out = buffered ? new BufferedOutputStream(s.getOutputStream(), 64 * 1024) : s.getOutputStream();
    }

    public Socket socket() {
        return socket;
    }

    /** The read timeout this client was made with (what {@link #timeout} changes temporarily). */
    protected int timeoutMillis() {
        return timeoutMillis;
    }

    protected InputStream in() {
        return in;
    }

    /** Sends {@code line} and CRLF. */
    public RawClient send(String line) throws IOException {
        return sendRaw(line + "\r\n");
    }

    public RawClient sendRaw(String text) throws IOException {
        return sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public RawClient sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Writes {@code line} and CRLF without flushing (pipelining, with a buffered client). */
    public RawClient queue(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public RawClient flush() throws IOException {
        out.flush();
        return this;
    }

    /** Reads one whole (possibly multi-line) reply, lines joined with CRLF, without the final CRLF. */
    public String reply() throws IOException {
        List<String> lines = new ArrayList<>(2);
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new EOFException("connection closed; read so far: " + lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return String.join("\r\n", lines);
            }
        }
    }

    /** Sends a command and returns its reply. */
    public String command(String line) throws IOException {
        send(line);
        return reply();
    }

    /** The code of the next reply. */
    public int code() throws IOException {
        return Integer.parseInt(reply().substring(0, 3));
    }

    /** Whether the server closed the connection (end of stream or reset) within the read timeout. */
    public boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
