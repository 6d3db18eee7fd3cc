package io.smtpd.itest.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import io.smtpd.itest.Fixture;
import io.smtpd.itest.RecordingHandler;
import io.smtpd.itest.SmtpClient;

/** The Karaf scenarios; they use smtpd types, so this class loads only once the feature is installed. */
final class KarafScenarios {
    private KarafScenarios() {
    }

    /** A factory configuration plus a handler service registered here: a message sent over a socket reaches it. */
    static void mailReachesAHandlerService(BundleContext context, ConfigurationAdmin configAdmin) throws Exception {
        try (Fixture fixture = new Fixture(context, configAdmin)) {
            RecordingHandler handler = fixture.handler("karaf-it");
            int port = fixture.server("karaf", "handler", "karaf-it");
            try (SmtpClient client = SmtpClient.connect(port)) {
                assertTrue(client.greeting().line().startsWith("220 itest.local "));
                assertEquals(250, client.send("EHLO client.test").code());
                assertEquals(handler.dataReply(), client.deliver("sender@client.test", "rcpt@itest.local",
                        "Subject: Karaf\r\n\r\ndelivered inside Karaf").line());
                assertEquals(221, client.send("QUIT").code());
            }
            RecordingHandler.Message message = handler.next();
            assertEquals("sender@client.test", message.mailFrom());
            assertEquals(List.of("rcpt@itest.local"), message.rcptTos());
            assertTrue(message.content().contains("delivered inside Karaf"));
        }
    }

    /** The smtpd-example feature: PING answers 259 Pong, HELP lists it, the example handler takes mail. */
    static void exampleAnswersPingAndAcceptsMail(BundleContext context, ConfigurationAdmin configAdmin)
            throws Exception {
        try (Fixture fixture = new Fixture(context, configAdmin)) {
            int port = fixture.server("karaf-example", "handler", "example");
            try (SmtpClient client = SmtpClient.connect(port)) {
                assertEquals("259 Pong", client.send("PING").line());
                assertTrue(client.send("HELP").line().contains(" PING"));
                assertEquals("250 Syntax: PING [ignored]", client.send("HELP PING").line());
                client.send("HELO client.test");
                assertEquals("250 Message accepted for delivery",
                        client.deliver("sender@client.test", "someone@example.com", "hello").line());
            }
        }
    }
}
