package io.smtpd.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smtpd.api.TlsInfo;
import io.smtpd.impl.command.BuiltinCommands;
import io.smtpd.impl.mina.SmtpListener;
import io.smtpd.impl.protocol.ServerContext;
import io.smtpd.impl.server.ServerRuntime;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;

/** Implicit TLS (SMTPS) on the listener, with JDK TLS clients. */
class SmtpsTest {
    private static TestCertificates certs;
    private static SSLContext client;
    private final TlsHandler handler = new TlsHandler();
    private SmtpServer server;

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.get();
        client = TestCertificates.clientContext(certs.rsaCertificate);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private InetSocketAddress start(ServerSettings.Builder settings) {
        server = TestServers.start(handler, settings);
        return server.localAddress();
    }

    private InetSocketAddress start() {
        return start(TestServers.settings().implicitTls(certs.rsa));
    }

    @Test
    void greetsAfterTheHandshakeAndCountsAsTls() throws IOException {
        try (RawClient c = RawClient.tls(start(), client)) {
            assertEquals("220 smtp.example.test smtpd 1.0", c.reply());
            assertEquals("250-smtp.example.test\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-BINARYMIME\r\n250-DSN\r\n250-REQUIRETLS\r\n250 HELP",
                    c.command("EHLO client"));
            assertEquals("250 OK", c.command("NOOP"));
            assertEquals("250 OK", c.command("MAIL FROM:<a@example.com>"));
        }
        TlsInfo tls = handler.lastTls();
        assertTrue(tls.implicit());
        assertEquals("TLSv1.3", tls.protocol());
    }

    @Test
    void startTlsInsideImplicitTlsIs503EvenWithStartTlsConfigured() throws IOException {
        InetSocketAddress address = start(TestServers.settings().implicitTls(certs.rsa).starttls(certs.rsa));
        try (RawClient c = RawClient.tls(address, client)) {
            c.reply();
            assertFalse(c.command("EHLO client").contains("STARTTLS"));
            assertEquals("503 5.5.1 TLS already active", c.command("STARTTLS"));
            assertEquals("250 OK", c.command("MAIL FROM:<a@example.com>")); // required STARTTLS is satisfied
        }
        assertEquals(0, handler.startTlsHooks.get());
    }

    @Test
    void offersTls12And13() throws IOException {
        InetSocketAddress address = start();
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (RawClient c = RawClient.tls(address, client, protocol)) {
                assertEquals("220 smtp.example.test smtpd 1.0", c.reply());
                assertEquals(protocol, ((SSLSocket) c.socket()).getSession().getProtocol());
                assertEquals("250 OK", c.command("NOOP"));
            }
        }
    }

    @Test
    void refusesATls11ClientHello() throws IOException {
        InetSocketAddress address = start();
        try (Socket raw = new Socket()) {
            raw.connect(address, 5000);
            raw.setSoTimeout(5000);
            raw.getOutputStream().write(tls11ClientHello());
            raw.getOutputStream().flush();
            int first;
            try {
                first = raw.getInputStream().read();
            } catch (IOException reset) {
                first = -1;
            }
            assertNotEquals(0x16, first, "the server answered with a handshake record");
            assertTrue(first == -1 || first == 0x15, "expected an alert or a close, got " + first);
        }
    }

    @Test
    void refusesClientInitiatedRenegotiation() throws IOException {
        try (RawClient c = RawClient.tls(start(), client, "TLSv1.2")) {
            c.reply();
            assertEquals("250 OK", c.command("NOOP"));
            SSLSocket tls = (SSLSocket) c.socket();
            assertThrows(IOException.class, () -> {
                tls.startHandshake();
                c.command("NOOP");
            });
        }
        assertEquals(1, handler.noops.get());
    }

    @Test
    void servesAFullChainAndAnEcCertificate() throws IOException {
        InetSocketAddress address = start(TestServers.settings().implicitTls(certs.chained));
        try (RawClient c = RawClient.tls(address, TestCertificates.clientContext(certs.ca))) {
            assertEquals("220 smtp.example.test smtpd 1.0", c.reply());
            assertEquals(2, ((SSLSocket) c.socket()).getSession().getPeerCertificates().length);
        }
        server.stop();
        address = start(TestServers.settings().implicitTls(certs.ecSec1));
        try (RawClient c = RawClient.tls(address, TestCertificates.clientContext(certs.ecCertificate))) {
            assertEquals("220 smtp.example.test smtpd 1.0", c.reply());
        }
    }

    @Test
    void toleratesProbesThatConnectAndCloseQuietly() throws Exception {
        InetSocketAddress address = start();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 10; i++) {
                new Socket(address.getAddress(), address.getPort()).close();
            }
            try (Socket half = new Socket(address.getAddress(), address.getPort())) {
                half.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // a torn ClientHello
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.openSessions() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            System.setErr(stderr);
        }
        assertEquals(0, server.openSessions());
        String logged = log.toString(StandardCharsets.UTF_8);
        assertFalse(logged.contains("WARN") || logged.contains("ERROR") || logged.contains("Exception"), logged);
        try (RawClient c = RawClient.tls(address, client)) {
            assertEquals("220 smtp.example.test smtpd 1.0", c.reply());
        }
    }

    @Test
    void aPlaintextClientGetsNoSmtpReply() throws IOException {
        try (Socket raw = new Socket()) {
            raw.connect(start(), 5000);
            raw.setSoTimeout(5000);
            raw.getOutputStream().write("EHLO client\r\n".getBytes(StandardCharsets.US_ASCII));
            int first;
            try {
                first = raw.getInputStream().read();
            } catch (IOException reset) {
                first = -1;
            }
            assertTrue(first == -1 || first == 0x15, "expected an alert or a close, got " + first);
        }
    }

    @Test
    void theIdleTimeoutBoundsTheHandshake() throws IOException {
        InetSocketAddress address = start(TestServers.settings().implicitTls(certs.rsa).timeout(Duration.ofMillis(500)));
        try (Socket raw = new Socket()) {
            raw.connect(address, 5000);
            raw.setSoTimeout(5000);
            long begin = System.nanoTime();
            assertEquals(-1, raw.getInputStream().read());
            assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(4));
        }
    }

    @Test
    void tooManyConnectionsIsAnsweredInClearBeforeTls() throws IOException {
        InetSocketAddress address = start(TestServers.settings().implicitTls(certs.rsa).maxConnections(1));
        try (RawClient first = RawClient.tls(address, client)) {
            first.reply();
            try (Socket raw = new Socket()) {
                raw.connect(address, 5000);
                raw.setSoTimeout(5000);
                InputStream in = raw.getInputStream();
                assertEquals("421 4.7.0 Too many connections\r\n",
                        new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void aConfigurationChangeReachesNewSessionsOnly() throws Exception {
        ServerSettings rsa = TestServers.settings().implicitTls(certs.rsa).build();
        ServerSettings ec = TestServers.settings().implicitTls(certs.ec).build();
        var timer = ServerRuntime.newTimer("reload");
        AtomicReference<ServerContext> current = new AtomicReference<>(context(rsa, timer));
        SmtpListener listener = new SmtpListener(current::get);
        listener.start();
        SSLContext trustingBoth = TestCertificates.clientContext(certs.rsaCertificate, certs.ecCertificate);
        try (RawClient before = RawClient.tls(listener.localAddress(), trustingBoth)) {
            before.reply();
            assertEquals(certs.rsaCertificate, peer(before));
            current.set(context(ec, timer));
            try (RawClient after = RawClient.tls(listener.localAddress(), trustingBoth)) {
                after.reply();
                assertEquals(certs.ecCertificate, peer(after));
            }
            assertEquals("250 OK", before.command("NOOP"));
        } finally {
            listener.stop(1, TimeUnit.SECONDS);
            timer.shutdownNow();
        }
    }

    @Test
    void anUnusableCertificateFailsTheStartNamingTheFile() {
        Path missing = certs.dir.resolve("nowhere.pem");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(
                TestServers.settings().implicitTls(new ServerSettings.TlsSettings(missing, certs.rsa.privateKey()))));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        server = null;
        assertTrue(Files.notExists(missing));
    }

    private static ServerContext context(ServerSettings settings, java.util.concurrent.ScheduledExecutorService timer) {
        var commands = BuiltinCommands.table(settings).build();
        return new ServerContext("reload", settings, TestServers.HOSTNAME, "smtpd 1.0", () -> null, () -> commands,
                () -> null, Map::of, timer);
    }

    private static X509Certificate peer(RawClient c) throws IOException {
        return (X509Certificate) ((SSLSocket) c.socket()).getSession().getPeerCertificates()[0];
    }

    /** A TLS 1.1 ClientHello with two TLS 1.0/1.1 cipher suites, no extensions. */
    static byte[] tls11ClientHello() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x03);
        body.write(0x02); // TLS 1.1
        body.writeBytes(new byte[32]); // random
        body.write(0); // no session id
        body.writeBytes(new byte[] {0x00, 0x04, (byte) 0xc0, 0x13, 0x00, 0x2f});
        body.writeBytes(new byte[] {0x01, 0x00}); // null compression
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) (hello.length + 4)});
        record.writeBytes(new byte[] {0x01, 0x00, 0x00, (byte) hello.length});
        record.writeBytes(hello);
        return record.toByteArray();
    }
}
