package io.smtpd.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP client for TLS tests: plain or TLS from the start (SMTPS), upgraded in place after STARTTLS, reading whole
 * replies; timeouts everywhere.
 */
public final class LineClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private LineClient(Socket socket) throws IOException {
        use(socket);
    }

    /** A plaintext connection. */
    public static LineClient plain(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5000);
        return new LineClient(socket);
    }

    /** An implicit TLS connection (SMTPS), handshaken, offering {@code protocols} (the context's when none). */
    public static LineClient tls(InetSocketAddress address, SSLContext context, String... protocols)
            throws IOException {
        Socket raw = new Socket();
        raw.connect(address, 5000);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", address.getPort(),
                true);
        if (protocols.length > 0) {
            socket.setEnabledProtocols(protocols);
        }
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return new LineClient(socket);
    }

    /** After {@code 220 Ready to start TLS}: the handshake on the same connection. */
    public SSLSocket startTls(SSLContext context, String... protocols) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(),
                true);
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        tls.setSoTimeout(5000);
        tls.startHandshake();
        use(tls);
        return tls;
    }

    private void use(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(5000);
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    public Socket socket() {
        return socket;
    }

    public LineClient send(String line) throws IOException {
        return sendRaw(line + "\r\n");
    }

    public LineClient sendRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** One whole reply, lines joined with CRLF, without the last CRLF. */
    public String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed; read so far: " + lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return String.join("\r\n", lines);
            }
        }
    }

    public String command(String line) throws IOException {
        return send(line).reply();
    }

    /** Whether the server closed the connection (end of stream or reset) within the socket timeout. */
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
        ByteArrayOutputStream line = new ByteArrayOutputStream();
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
