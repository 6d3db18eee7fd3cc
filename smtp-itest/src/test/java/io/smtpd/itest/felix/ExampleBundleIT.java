package io.smtpd.itest.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.smtpd.api.HookResult;
import io.smtpd.api.command.SmtpCommand;
import io.smtpd.api.reply.Reply;
import io.smtpd.itest.Await;
import io.smtpd.itest.Fixture;
import io.smtpd.itest.SmtpClient;
import io.smtpd.itest.SmtpClient.Response;

/**
 * The example bundle ({@code io.smtpd.example}): its PING command is a whiteboard service that HELP lists while
 * the bundle runs, and its handler is selected by name. Custom commands shadow built-in verbs only by ranking.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExampleBundleIT {
    private static final String EXAMPLE_BSN = "io.smtpd.example";

    @Inject
    private BundleContext context;
    @Inject
    private ConfigurationAdmin configAdmin;
    private Fixture fixture;

    @Configuration
    public Option[] config() {
        return ItestOptions.config();
    }

    @Before
    public void setUp() {
        fixture = new Fixture(context, configAdmin);
    }

    @After
    public void tearDown() throws Exception {
        fixture.close();
        Bundle example = bundle(EXAMPLE_BSN);
        if (example.getState() != Bundle.ACTIVE) {
            example.start();
        }
    }

    @Test
    public void pingAnswersPongAndHelpListsIt() throws Exception {
        int port = fixture.server("ping", "handler", "sink");
        try (SmtpClient client = SmtpClient.connect(port)) {
            assertEquals("259 Pong", client.send("PING").line());
            assertEquals("259 Pong", client.send("PING whatever follows").line());
            assertTrue(helpVerbs(client).contains("PING"));
            assertEquals("250 Syntax: PING [ignored]", client.send("HELP PING").line());
            assertEquals("250 Syntax: PING [ignored]", client.send("HELP ping").line());
        }
    }

    @Test
    public void pingVanishesWithItsBundleAndComesBackWithIt() throws Exception {
        int port = fixture.server("ping-dynamic", "handler", "sink");
        try (SmtpClient client = SmtpClient.connect(port)) {
            assertEquals("259 Pong", client.send("PING").line());

            bundle(EXAMPLE_BSN).stop();
            Response unknown = client.send("PING");
            assertEquals(unknown.line(), 500, unknown.code());
            assertFalse(helpVerbs(client).contains("PING"));
            assertEquals(501, client.send("HELP PING").code());

            bundle(EXAMPLE_BSN).start();
            assertEquals("259 Pong", client.send("PING").line());
            assertTrue(helpVerbs(client).contains("PING"));
        }
    }

    @Test
    public void aServiceOverridesABuiltInVerbOnlyWithAPositiveRanking() throws Exception {
        int port = fixture.server("override", "handler", "sink");
        SmtpCommand noop = (commandContext, argument) -> HookResult.reply(Reply.of(250, "custom NOOP"));
        ServiceRegistration<SmtpCommand> registration = fixture.command(noop, "NOOP", "NOOP [custom]", 0);
        try (SmtpClient client = SmtpClient.connect(port)) {
            assertEquals("250 OK", client.send("NOOP").line());

            java.util.Hashtable<String, Object> ranked = new java.util.Hashtable<>();
            ranked.put(SmtpCommand.VERB, "NOOP");
            ranked.put(SmtpCommand.SYNTAX, "NOOP [custom]");
            ranked.put(Constants.SERVICE_RANKING, 1);
            registration.setProperties(ranked);
            assertEquals("250 custom NOOP", client.send("NOOP").line());
            assertEquals("250 Syntax: NOOP [custom]", client.send("HELP NOOP").line());

            registration.unregister();
            assertEquals("250 OK", client.send("NOOP").line());
        }
    }

    @Test
    public void aCommandServiceMayAddAnEhloKeyword() throws Exception {
        int port = fixture.server("ehlo-keyword", "handler", "sink");
        SmtpCommand xping = (commandContext, argument) -> HookResult.reply(Reply.of(250, "XPONG"));
        try (SmtpClient client = SmtpClient.connect(port)) {
            assertFalse(client.send("EHLO client.test").lines().contains("250-XPING"));

            java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
            props.put(SmtpCommand.VERB, "XPING");
            props.put(SmtpCommand.EHLO_KEYWORD, "XPING");
            fixture.register(SmtpCommand.class, xping, props);
            assertTrue(client.send("EHLO client.test").lines().contains("250-XPING"));
            assertEquals("250 XPONG", client.send("XPING").line());
            assertFalse("no syntax, so not in HELP", helpVerbs(client).contains("XPING"));
        }
    }

    @Test
    public void theExampleHandlerRelaysToExampleComOnly() throws Exception {
        int port = fixture.server("example", "handler", "example");
        try (SmtpClient client = SmtpClient.connect(port)) {
            client.send("EHLO client.test");
            assertEquals(250, client.send("MAIL FROM:<sender@client.test>").code());
            assertEquals("550 not relaying to that domain", client.send("RCPT TO:<someone@elsewhere.test>").line());
            assertEquals(250, client.send("RCPT TO:<someone@example.com>").code());
            assertEquals(354, client.send("DATA").code());
            assertEquals("250 Message accepted for delivery", client.endData("Subject: hi\r\n\r\nhello").line());
        }
    }

    private static List<String> helpVerbs(SmtpClient client) throws java.io.IOException {
        Response help = client.send("HELP");
        assertEquals(help.toString(), 250, help.code());
        String text = help.text();
        return Arrays.asList(text.substring(text.indexOf(':') + 1).trim().split("\\s+"));
    }

    private Bundle bundle(String symbolicName) {
        return Await.value("bundle " + symbolicName, () -> Arrays.stream(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst().orElse(null));
    }
}
