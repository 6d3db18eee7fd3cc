package io.smtpd.esmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;
import io.smtpd.tls.TestCertificates;

/** REQUIRETLS (RFC 8689): advertised and accepted on MAIL only inside TLS, and on the envelope. */
class RequireTlsTest {
    private static TestCertificates certs;
    private static SSLContext client;
    private final LinkedBlockingQueue<Boolean> seen = new LinkedBlockingQueue<>();
    private final Handler handler = new Handler() {
        @Override
        public HookResult handleData(Session session, Envelope envelope) {
            seen.add(envelope.requireTls());
            return HookResult.proceed();
        }
    };

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.get();
        client = TestCertificates.clientContext(certs.rsaCertificate);
    }

    @Test
    void outsideTlsNotAdvertisedAndRefused() throws Exception {
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings().starttls(certs.rsa).requireStartTls(false));
             RawClient c = new RawClient(s.localAddress())) {
            c.reply();
            assertFalse(c.command("EHLO client").contains("REQUIRETLS"));
            assertEquals("530 REQUIRETLS requires a TLS connection",
                    c.command("MAIL FROM:<anne@example.com> REQUIRETLS"));
            assertEquals("250 OK", c.command("MAIL FROM:<anne@example.com>"));
        }
    }

    @Test
    void bdatRefusedBeforeRequiredStartTlsHasItsChunkDiscarded() throws Exception {
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings().starttls(certs.rsa));
             RawClient c = new RawClient(s.localAddress())) {
            c.reply();
            c.command("EHLO client");
            c.sendRaw("BDAT 6\r\nNOOP\r\nNOOP\r\n");
            assertEquals("530 Must issue a STARTTLS command first", c.reply());
            assertEquals("250 OK", c.reply());
            assertEquals("250 OK", c.command("NOOP"), "only one NOOP was read as a command");
        }
    }

    @Test
    void insideStartTlsAdvertisedAcceptedAndExposed() throws Exception {
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings().starttls(certs.rsa));
             RawClient c = new RawClient(s.localAddress())) {
            c.reply();
            c.command("EHLO client");
            assertEquals("220 Ready to start TLS", c.command("STARTTLS"));
            c.startTls(client);
            assertTrue(c.command("EHLO client").contains("250-REQUIRETLS\r\n"));
            assertEquals("501 Error: REQUIRETLS takes no arguments",
                    c.command("MAIL FROM:<anne@example.com> REQUIRETLS=YES"));
            assertEquals("250 OK", c.command("MAIL FROM:<anne@example.com> REQUIRETLS"));
            assertEquals("250 OK", c.command("RCPT TO:<bart@example.com>"));
            assertEquals("354 End data with <CR><LF>.<CR><LF>", c.command("DATA"));
            assertEquals("250 OK", c.command("hi\r\n."));
            assertEquals(Boolean.TRUE, seen.poll(5, TimeUnit.SECONDS));
            assertEquals("250 OK", c.command("MAIL FROM:<anne@example.com>"));
            assertEquals("250 OK", c.command("RCPT TO:<bart@example.com>"));
            assertEquals("354 End data with <CR><LF>.<CR><LF>", c.command("DATA"));
            assertEquals("250 OK", c.command("hi\r\n."));
            assertEquals(Boolean.FALSE, seen.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void implicitTlsAndSwitchedOff() throws Exception {
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings().implicitTls(certs.rsa));
             RawClient c = RawClient.tls(s.localAddress(), client)) {
            c.reply();
            assertTrue(c.command("EHLO client").contains("250-REQUIRETLS\r\n"));
            assertEquals("250 OK", c.command("MAIL FROM:<anne@example.com> REQUIRETLS"));
        }
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings().implicitTls(certs.rsa)
                .requireTlsExtension(false));
             RawClient c = RawClient.tls(s.localAddress(), client)) {
            c.reply();
            assertFalse(c.command("EHLO client").contains("REQUIRETLS"));
            assertEquals("555 MAIL FROM parameters not recognized or not implemented",
                    c.command("MAIL FROM:<anne@example.com> REQUIRETLS"));
        }
    }
}
