package io.smtpd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;

/** With implicit TLS, the PROXY header comes first, in clear, and the TLS handshake after it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyProtocolTlsTest {
    @Test
    void headerBeforeTheHandshake(@TempDir Path dir) throws Exception {
        ServerSettings.TlsSettings tls = certificate(dir);
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer server = TestServers.start(handler, TestServers.settings().implicitTls(tls)
                .proxyProtocolTimeout(Duration.ofSeconds(5)))) {
            InetSocketAddress address = server.localAddress();
            try (Socket plain = new Socket()) {
                plain.connect(address, 5000);
                plain.setSoTimeout(5000);
                plain.getOutputStream().write("PROXY TCP4 198.51.100.77 192.0.2.1 40000 465\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                try (SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory()
                        .createSocket(plain, "localhost", address.getPort(), true)) {
                    ssl.startHandshake();
                    BufferedReader in = new BufferedReader(new InputStreamReader(ssl.getInputStream(),
                            StandardCharsets.US_ASCII));
                    OutputStream out = ssl.getOutputStream();
                    assertEquals("220 smtp.example.test smtpd 1.0", in.readLine());
                    out.write(("EHLO client.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n"
                            + "DATA\r\n").getBytes(StandardCharsets.US_ASCII));
                    String line;
                    do {
                        line = in.readLine();
                    } while (line.startsWith("250-"));
                    assertEquals("250 OK", in.readLine());
                    assertEquals("250 OK", in.readLine());
                    assertTrue(in.readLine().startsWith("354"));
                    out.write("Subject: tls\r\n\r\nhi\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("250 OK", in.readLine());
                    assertEquals("221 Bye", in.readLine());
                }
            }
            assertEquals("198.51.100.77", handler.take().peer());
        }
    }

    @Test
    void perClientRefusalIsSentOverTls(@TempDir Path dir) throws Exception {
        ServerSettings.TlsSettings tls = certificate(dir);
        try (SmtpServer server = TestServers.start(new RecordingHandler(), TestServers.settings().implicitTls(tls)
                .proxyProtocolTimeout(Duration.ofSeconds(5)).maxConnectionsPerClient(1))) {
            InetSocketAddress address = server.localAddress();
            String header = "PROXY TCP4 198.51.100.77 192.0.2.1 40000 465\r\n";
            try (Socket firstPlain = new Socket(); Socket secondPlain = new Socket()) {
                BufferedReader first = proxiedTls(firstPlain, address, header);
                assertEquals("220 smtp.example.test smtpd 1.0", first.readLine());
                BufferedReader second = proxiedTls(secondPlain, address, header);
                assertEquals("421 4.7.0 Too many connections from your address", second.readLine());
                assertEquals(null, second.readLine(), "closed after the refusal");
            }
        }
    }

    /** Connects, sends {@code header} in clear, then completes a TLS handshake over the same socket. */
    private static BufferedReader proxiedTls(Socket plain, InetSocketAddress address, String header) throws Exception {
        plain.connect(address, 5000);
        plain.setSoTimeout(5000);
        plain.getOutputStream().write(header.getBytes(StandardCharsets.US_ASCII));
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory()
                .createSocket(plain, "localhost", address.getPort(), true);
        ssl.startHandshake();
        return new BufferedReader(new InputStreamReader(ssl.getInputStream(), StandardCharsets.US_ASCII));
    }

    @Test
    void handshakeWithoutAHeaderIsRefused(@TempDir Path dir) throws Exception {
        ServerSettings.TlsSettings tls = certificate(dir);
        try (SmtpServer server = TestServers.start(new RecordingHandler(), TestServers.settings().implicitTls(tls)
                .proxyProtocolTimeout(Duration.ofSeconds(5)))) {
            InetSocketAddress address = server.localAddress();
            try (SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket()) {
                ssl.connect(address, 5000);
                ssl.setSoTimeout(5000);
                assertThrows(IOException.class, ssl::startHandshake, "a TLS hello is no PROXY header");
            }
        }
    }

    /** A throw-away self-signed certificate, made with openssl. */
    private static ServerSettings.TlsSettings certificate(Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        } catch (IOException e) {
            Assumptions.abort("openssl is not installed: " + e.getMessage());
            return null;
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> read(dir.resolve("openssl.log")));
        return new ServerSettings.TlsSettings(cert, key);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return context;
    }
}
