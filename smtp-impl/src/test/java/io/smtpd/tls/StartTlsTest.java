package io.smtpd.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smtpd.api.TlsInfo;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;

/** STARTTLS (RFC 3207) with real JDK TLS clients: aiosmtpd's replies, the session reset, and no plaintext injection. */
class StartTlsTest {
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

    private RawClient connect(ServerSettings.Builder settings) throws IOException {
        server = TestServers.start(handler, settings);
        RawClient c = new RawClient(server.localAddress());
        assertEquals("220 smtp.example.test smtpd 1.0", c.reply());
        return c;
    }

    private RawClient connect() throws IOException {
        return connect(TestServers.settings().starttls(certs.rsa));
    }

    /** STARTTLS and the handshake. */
    private SSLSocket upgrade(RawClient c, String... protocols) throws IOException {
        assertEquals("220 Ready to start TLS", c.command("STARTTLS"));
        return c.startTls(client, protocols);
    }

    @Test
    void ehloAdvertisesStartTlsUntilTlsIsOn() throws IOException {
        try (RawClient c = connect()) {
            assertEquals("250-smtp.example.test\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250-STARTTLS\r\n"
                    + "250-PIPELINING\r\n250-CHUNKING\r\n250-BINARYMIME\r\n250-DSN\r\n250 HELP", c.command("EHLO client"));
            upgrade(c);
            assertEquals("250-smtp.example.test\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-BINARYMIME\r\n250-DSN\r\n250-REQUIRETLS\r\n250 HELP",
                    c.command("EHLO client"));
        }
    }

    @Test
    void helpListsStartTlsOnlyWhenTlsIsConfigured() throws IOException {
        try (RawClient c = connect(TestServers.settings().starttls(certs.rsa).requireStartTls(false))) {
            assertEquals("250 Supported commands: AUTH DATA EHLO HELO HELP MAIL NOOP QUIT RCPT RSET STARTTLS VRFY",
                    c.command("HELP"));
            assertEquals("250 Syntax: STARTTLS", c.command("HELP STARTTLS"));
        }
        server.stop();
        try (RawClient c = connect(TestServers.settings())) {
            assertEquals("250 Supported commands: AUTH DATA EHLO HELO HELP MAIL NOOP QUIT RCPT RSET VRFY",
                    c.command("HELP"));
            assertEquals("501 Supported commands: AUTH DATA EHLO HELO HELP MAIL NOOP QUIT RCPT RSET VRFY",
                    c.command("HELP STARTTLS"));
        }
    }

    @Test
    void startTlsWithoutCertificateIs454() throws IOException {
        try (RawClient c = connect(TestServers.settings())) {
            assertFalse(c.command("EHLO client").contains("STARTTLS"));
            assertEquals("454 TLS not available", c.command("STARTTLS"));
            assertEquals("250 OK", c.command("NOOP"));
        }
    }

    @Test
    void startTlsWithAnArgumentIs501() throws IOException {
        try (RawClient c = connect()) {
            assertEquals("501 Syntax: STARTTLS", c.command("STARTTLS now"));
        }
    }

    @Test
    void startTlsInsideTlsIs503AndTheSessionGoesOn() throws IOException {
        try (RawClient c = connect()) {
            upgrade(c);
            assertEquals("503 5.5.1 TLS already active", c.command("STARTTLS"));
            assertEquals("250 OK", c.command("NOOP"));
        }
    }

    @Test
    void theSessionStartsAfreshAfterTheHandshake() throws IOException {
        try (RawClient c = connect(TestServers.settings().starttls(certs.rsa).requireStartTls(false))) {
            assertTrue(c.command("EHLO client").startsWith("250-"));
            assertEquals("250 OK", c.command("MAIL FROM:<a@example.com>"));
            upgrade(c);
            assertEquals("503 Error: send HELO first", c.command("MAIL FROM:<a@example.com>"));
            assertTrue(c.command("EHLO client").startsWith("250-"));
            assertEquals("503 Error: need MAIL command", c.command("RCPT TO:<b@example.com>"));
            assertEquals("250 OK", c.command("NOOP"));
        }
        assertEquals(1, handler.startTlsHooks.get());
        TlsInfo tls = handler.lastTls();
        assertEquals("TLSv1.3", tls.protocol());
        assertTrue(tls.cipherSuite().startsWith("TLS_"), tls.cipherSuite());
        assertFalse(tls.implicit());
        assertTrue(tls.peerCertificates().isEmpty());
    }

    @Test
    void deliversAMessageOverTls12() throws Exception {
        try (RawClient c = connect()) {
            SSLSocket tls = upgrade(c, "TLSv1.2");
            assertEquals("TLSv1.2", tls.getSession().getProtocol());
            assertTrue(c.command("EHLO client").startsWith("250-"));
            assertEquals("250 OK", c.command("NOOP"));
            assertEquals("250 OK", c.command("MAIL FROM:<a@example.com>"));
            assertEquals("250 OK", c.command("RCPT TO:<b@example.com>"));
            assertEquals("354 End data with <CR><LF>.<CR><LF>", c.command("DATA"));
            assertEquals("250 OK", c.command("Subject: tls\r\n\r\nover TLS 1.2\r\n."));
            assertEquals("221 Bye", c.command("QUIT"));
        }
        assertEquals("Subject: tls\r\n\r\nover TLS 1.2\r\n", handler.take().text());
        assertEquals("TLSv1.2", handler.lastTls().protocol());
    }

    @Test
    void commandsPipelinedAfterStartTlsInTheSameWriteAreDiscarded() throws IOException {
        try (RawClient c = connect()) {
            c.sendRaw("STARTTLS\r\nNOOP\r\nMAIL FROM:<evil@example.com>\r\n");
            assertEquals("220 Ready to start TLS", c.reply());
            c.startTls(client);
            assertEquals("250 OK", c.command("NOOP"));
            assertTrue(c.command("EHLO client").startsWith("250-"));
            assertEquals("503 Error: need MAIL command", c.command("RCPT TO:<b@example.com>"));
        }
        assertEquals(1, handler.noops.get());
        assertTrue(handler.lastTls() != null);
    }

    @Test
    void aPartialLineBeforeStartTlsIsNotCompletedByTlsData() throws IOException {
        try (RawClient c = connect(TestServers.settings().starttls(certs.rsa).requireStartTls(false))) {
            c.sendRaw("STARTTLS\r\nNO");
            assertEquals("220 Ready to start TLS", c.reply());
            c.startTls(client);
            assertEquals("500 Error: bad syntax", c.command("")); // not "NO" + "" joined into a command
            assertEquals("250 OK", c.command("NOOP"));
        }
        assertEquals(1, handler.noops.get());
    }

    @Test
    void plaintextSentBeforeTheHandshakeIsNeverExecuted() throws IOException {
        try (RawClient c = connect()) {
            c.send("STARTTLS");
            c.send("NOOP"); // a second write, before the client even read the 220
            assertEquals("220 Ready to start TLS", c.reply());
            try {
                c.startTls(client);
                assertEquals("250 OK", c.command("NOOP"));
                assertEquals(1, handler.noops.get());
            } catch (IOException handshakeFailed) {
                // the plaintext reached the TLS layer and broke the handshake: also safe
                assertEquals(0, handler.noops.get());
            }
        }
    }

    @Test
    void requiredStartTlsAllowsOnlyEhloNoopStartTlsAndQuit() throws IOException {
        try (RawClient c = connect()) {
            for (String command : List.of("HELO client", "MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>",
                    "DATA", "RSET", "VRFY someone", "EXPN list", "HELP", "AUTH PLAIN", "BOGUS")) {
                assertEquals("530 Must issue a STARTTLS command first", c.command(command), command);
            }
            assertTrue(c.command("EHLO client").startsWith("250-smtp.example.test"));
            assertEquals("250 OK", c.command("NOOP"));
            upgrade(c);
            assertEquals("503 Error: send HELO first", c.command("MAIL FROM:<a@example.com>"));
            assertTrue(c.command("HELP").startsWith("250 Supported commands"));
            assertEquals("221 Bye", c.command("QUIT"));
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            c.reply();
            assertEquals("221 Bye", c.command("QUIT"));
        }
    }

    @Test
    void withoutRequireTlsCommandsWorkInClear() throws IOException {
        try (RawClient c = connect(TestServers.settings().starttls(certs.rsa).requireStartTls(false))) {
            assertEquals("250 smtp.example.test", c.command("HELO client"));
            assertEquals("250 OK", c.command("MAIL FROM:<a@example.com>"));
        }
    }

    @Test
    void aDeniedStartTlsHookRefusesEverythingButQuit() throws IOException {
        handler.denyStartTls = true;
        try (RawClient c = connect()) {
            upgrade(c);
            assertEquals("554 Command refused due to lack of security", c.command("EHLO client"));
            assertEquals("554 Command refused due to lack of security", c.command("NOOP"));
            assertEquals("221 Bye", c.command("QUIT"));
        }
        assertEquals(0, handler.noops.get());
    }

    @Test
    void aFailedHandshakeClosesTheConnection() throws IOException {
        try (RawClient c = connect()) {
            assertEquals("220 Ready to start TLS", c.command("STARTTLS"));
            c.sendRaw("this is not a TLS record\r\n");
            assertTrue(c.closedByServer());
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            assertEquals("220 smtp.example.test smtpd 1.0", c.reply()); // the server is fine
        }
    }

    @Test
    void theIdleTimeoutBoundsTheHandshake() throws IOException {
        try (RawClient c = connect(TestServers.settings().starttls(certs.rsa)
                .timeout(java.time.Duration.ofMillis(500)))) {
            assertEquals("220 Ready to start TLS", c.command("STARTTLS"));
            long start = System.nanoTime();
            InputStream in = c.socket().getInputStream();
            c.timeout(5000);
            assertEquals(-1, in.read()); // closed, with no plaintext 421 into a TLS stream
            assertTrue(System.nanoTime() - start < 4_000_000_000L);
        }
    }

    @Test
    void clientInitiatedRenegotiationIsRefused() throws IOException {
        try (RawClient c = connect()) {
            SSLSocket tls = upgrade(c, "TLSv1.2");
            assertEquals("250 OK", c.command("NOOP"));
            assertThrows(IOException.class, () -> {
                tls.startHandshake(); // TLS 1.2: a new ClientHello
                c.command("NOOP");
            });
        }
        assertEquals(1, handler.noops.get());
        assertNull(null);
    }
}
