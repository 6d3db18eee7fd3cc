package io.smtpd.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RecordingHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/** A real client, Jakarta Mail (Eclipse Angus), sending through the server with {@link Transport}. */
class JakartaMailTest {

    private static jakarta.mail.Session mailSession(SmtpServer server, Properties extra) {
        Properties props = new Properties();
        props.put("mail.smtp.host", server.localAddress().getAddress().getHostAddress());
        props.put("mail.smtp.port", String.valueOf(server.localAddress().getPort()));
        props.put("mail.smtp.localhost", "client.example");
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "5000");
        props.putAll(extra);
        return jakarta.mail.Session.getInstance(props);
    }

    @Test
    void transportSendsAMessageThatArrivesIntact() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler)) {
            jakarta.mail.Session session = mailSession(s, new Properties());
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress("anne@example.com"));
            message.setRecipients(Message.RecipientType.TO, "bart@example.com, cate@example.com");
            message.setRecipients(Message.RecipientType.CC, "dave@example.com");
            message.setSubject("Hello from Jakarta Mail");
            message.setText("First line\n.\n..two dots\nlast line\n");
            Transport.send(message);

            RecordingHandler.Message m = Fixtures.onlyMessage(handler);
            assertEquals("anne@example.com", m.mailFrom());
            assertEquals(List.of("bart@example.com", "cate@example.com", "dave@example.com"), m.rcptTos());
            MimeMessage received = new MimeMessage(session, new ByteArrayInputStream(m.content()));
            assertEquals("Hello from Jakarta Mail", received.getSubject());
            assertEquals("First line\r\n.\r\n..two dots\r\nlast line\r\n", received.getContent());
        }
    }

    @Test
    void transportSendsEightBitContent() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler)) {
            Properties props = new Properties();
            props.put("mail.smtp.allow8bitmime", "true");
            jakarta.mail.Session session = mailSession(s, props);
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress("anne@example.com"));
            message.setRecipients(Message.RecipientType.TO, "bart@example.com");
            message.setSubject("Gr\u00fc\u00dfe");
            message.setText("Gr\u00fc\u00dfe aus K\u00f6ln\n", "UTF-8");
            Transport.send(message);

            RecordingHandler.Message m = Fixtures.onlyMessage(handler);
            MimeMessage received = new MimeMessage(session, new ByteArrayInputStream(m.content()));
            assertEquals("Gr\u00fc\u00dfe", received.getSubject());
            assertEquals("Gr\u00fc\u00dfe aus K\u00f6ln\r\n", received.getContent());
        }
    }

    @Test
    void transportSendsToUtf8AddressesWithSmtpUtf8() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler, b -> b.smtpUtf8(true))) {
            Properties props = new Properties();
            props.put("mail.mime.allowutf8", "true");
            jakarta.mail.Session session = mailSession(s, props);
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress("j\u00f6rg@example.com"));
            message.setRecipients(Message.RecipientType.TO, "\u7528\u6237@example.com");
            message.setSubject("utf8");
            message.setText("hi\n");
            Transport.send(message);

            RecordingHandler.Message m = Fixtures.onlyMessage(handler);
            assertEquals("j\u00f6rg@example.com", m.mailFrom());
            assertEquals(List.of("\u7528\u6237@example.com"), m.rcptTos());
            assertTrue(m.mailOptions().contains("SMTPUTF8"), m.mailOptions().toString());
        }
    }

    @Test
    void refusedRecipientSurfacesAsASendFailure() throws Exception {
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public HookResult handleRcpt(Session session, Envelope envelope, String address, List<String> options) {
                return HookResult.reply("550 5.1.1 Recipient address rejected: User unknown");
            }
        };
        try (SmtpServer s = Fixtures.start(handler)) {
            MimeMessage message = new MimeMessage(mailSession(s, new Properties()));
            message.setFrom(new InternetAddress("anne@example.com"));
            message.setRecipients(Message.RecipientType.TO, "nobody@example.com");
            message.setText("x");
            MessagingException e = assertThrows(MessagingException.class, () -> Transport.send(message));
            assertTrue(String.valueOf(e.getMessage()).contains("Invalid Addresses")
                    || String.valueOf(e.getNextException()).contains("550"), e.toString());
            assertTrue(handler.messages().isEmpty());
        }
    }
}
