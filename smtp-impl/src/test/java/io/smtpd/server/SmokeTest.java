package io.smtpd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;

class SmokeTest {
    @Test
    void deliversAMessage() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer server = TestServers.start(handler); RawClient c = new RawClient(server.localAddress())) {
            assertEquals("220 smtp.example.test smtpd 1.0", c.reply());
            assertEquals("250-smtp.example.test\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-BINARYMIME\r\n250-DSN\r\n250 HELP",
                    c.command("EHLO client"));
            assertEquals("250 OK", c.command("MAIL FROM:<a@example.com>"));
            assertEquals("250 OK", c.command("RCPT TO:<b@example.com>"));
            assertEquals("354 End data with <CR><LF>.<CR><LF>", c.command("DATA"));
            assertEquals("250 OK", c.command("Subject: hi\r\n\r\n..dot\r\nbody\r\n."));
            assertEquals("221 Bye", c.command("QUIT"));
            RecordingHandler.Message m = handler.take();
            assertEquals("a@example.com", m.mailFrom());
            assertEquals("Subject: hi\r\n\r\n.dot\r\nbody\r\n", m.text());
        }
    }
}
