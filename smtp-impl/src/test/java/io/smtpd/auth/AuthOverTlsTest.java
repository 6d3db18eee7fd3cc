package io.smtpd.auth;

import static io.smtpd.auth.AuthFixture.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;
import io.smtpd.tls.TestCertificates;
import io.smtpd.tls.TlsHandler;

/** AUTH where it requires TLS (the default): after STARTTLS, and with implicit TLS. */
class AuthOverTlsTest {
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

    private ServerSettings.Builder settings() {
        return TestServers.settings().authFile(AuthFixture.authFile());
    }

    @Test
    void authIsOfferedAndAcceptedOnlyAfterStartTls() throws IOException {
        server = TestServers.start(handler, settings().starttls(certs.rsa).requireStartTls(false));
        try (RawClient c = new RawClient(server.localAddress())) {
            c.reply();
            assertFalse(c.command("EHLO client").contains("AUTH"));
            assertEquals("538 5.7.11 Encryption required for requested authentication mechanism",
                    c.command("AUTH PLAIN " + plain("", "Bob", "pw")));
            assertEquals("220 Ready to start TLS", c.command("STARTTLS"));
            c.startTls(client);
            assertEquals("250-smtp.example.test\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250-AUTH LOGIN PLAIN\r\n"
                    + "250-PIPELINING\r\n250-CHUNKING\r\n250-BINARYMIME\r\n250-DSN\r\n250-REQUIRETLS\r\n250 HELP", c.command("EHLO client"));
            assertEquals("235 2.7.0 Authentication successful", c.command("AUTH PLAIN " + plain("", "Bob", "pw")));
        }
    }

    @Test
    void implicitTlsCountsAsTls() throws IOException {
        server = TestServers.start(handler, settings().implicitTls(certs.rsa).authRequired(true));
        try (RawClient c = RawClient.tls(server.localAddress(), client)) {
            c.reply();
            assertTrue(c.command("EHLO client").contains("250-AUTH LOGIN PLAIN\r\n"));
            assertEquals("530 5.7.0 Authentication required", c.command("MAIL FROM:<a@example.com>"));
            assertEquals("334 VXNlciBOYW1lAA==", c.command("AUTH LOGIN"));
            assertEquals("334 UGFzc3dvcmQA", c.command(AuthFixture.b64("alice")));
            assertEquals("235 2.7.0 Authentication successful", c.command(AuthFixture.b64("s3cret:with:colons")));
            assertEquals("250 OK", c.command("MAIL FROM:<a@example.com>"));
        }
    }

    @Test
    void startTlsForgetsAnEarlierAuthentication() throws IOException {
        server = TestServers.start(handler, settings().authRequireTls(false).starttls(certs.rsa)
                .requireStartTls(false));
        try (RawClient c = new RawClient(server.localAddress())) {
            c.reply();
            c.command("EHLO client");
            assertEquals("235 2.7.0 Authentication successful", c.command("AUTH PLAIN " + plain("", "Bob", "pw")));
            assertEquals("220 Ready to start TLS", c.command("STARTTLS"));
            c.startTls(client);
            c.command("EHLO client");
            assertEquals("235 2.7.0 Authentication successful", c.command("AUTH PLAIN " + plain("", "Bob", "pw")));
        }
    }
}
