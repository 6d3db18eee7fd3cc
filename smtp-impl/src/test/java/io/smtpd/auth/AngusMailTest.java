package io.smtpd.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smtpd.api.TlsInfo;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;
import io.smtpd.tls.TestCertificates;
import io.smtpd.tls.TlsHandler;

/** A real mail client, Angus Mail: STARTTLS then AUTH LOGIN or PLAIN, and SMTPS with AUTH, sending a message. */
class AngusMailTest {
    private static TestCertificates certs;
    private final TlsHandler handler = new TlsHandler();
    private SmtpServer server;

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.get();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private Session session(String protocol, String mechanism) {
        Properties p = new Properties();
        String prefix = "mail." + protocol + ".";
        p.put(prefix + "host", "127.0.0.1");
        p.put(prefix + "port", String.valueOf(server.localAddress().getPort()));
        p.put(prefix + "auth", "true");
        p.put(prefix + "auth.mechanisms", mechanism);
        p.put(prefix + "ssl.socketFactory", TestCertificates.trustAll());
        p.put(prefix + "ssl.checkserveridentity", "false");
        p.put(prefix + "localhost", "client.example");
        p.put(prefix + "connectiontimeout", "5000");
        p.put(prefix + "timeout", "5000");
        if (protocol.equals("smtp")) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        return Session.getInstance(p);
    }

    private static MimeMessage message(Session session, String subject) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("alice@example.com"));
        m.setRecipients(Message.RecipientType.TO, "bob@example.com");
        m.setSubject(subject);
        m.setText("Hello over TLS.\r\n");
        return m;
    }

    private void send(Session session, String protocol, String subject, String user, String password)
            throws Exception {
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect(user, password);
            MimeMessage m = message(session, subject);
            transport.sendMessage(m, m.getAllRecipients());
        }
    }

    @Test
    void sendsWithStartTlsAndEachMechanism() throws Exception {
        server = TestServers.start(handler, TestServers.settings().starttls(certs.rsa)
                .authFile(AuthFixture.authFile()).authRequired(true));
        for (String mechanism : List.of("LOGIN", "PLAIN")) {
            send(session("smtp", mechanism), "smtp", "via " + mechanism, "alice", "s3cret:with:colons");
            RecordingHandler.Message m = handler.take();
            assertEquals("alice@example.com", m.mailFrom());
            assertEquals(List.of("bob@example.com"), m.rcptTos());
            assertTrue(m.text().contains("Subject: via " + mechanism), m.text());
            assertTrue(m.text().contains("Hello over TLS."), m.text());
        }
        for (int i = 0; i < 2; i++) {
            TlsInfo tls = handler.tlsAtData.get(i);
            assertFalse(tls.implicit());
            assertEquals("TLSv1.3", tls.protocol());
            assertEquals("alice", handler.authAtData.get(i));
        }
    }

    @Test
    void sendsOverSmtpsWithAuth() throws Exception {
        server = TestServers.start(handler, TestServers.settings().implicitTls(certs.ec)
                .authFile(AuthFixture.authFile()).authRequired(true));
        send(session("smtps", "PLAIN"), "smtps", "via SMTPS", "d\u00e9si", "m\u00f8t de passe");
        assertTrue(handler.take().text().contains("Subject: via SMTPS"));
        assertTrue(handler.tlsAtData.get(0).implicit());
        assertEquals("d\u00e9si", handler.authAtData.get(0));
    }

    @Test
    void wrongPasswordIsRefused() {
        server = TestServers.start(handler, TestServers.settings().starttls(certs.rsa)
                .authFile(AuthFixture.authFile()).authRequired(true));
        assertThrows(AuthenticationFailedException.class,
                () -> send(session("smtp", "PLAIN"), "smtp", "nope", "alice", "wrong"));
        assertTrue(handler.messages().isEmpty());
    }
}
