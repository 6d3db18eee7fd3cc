package io.smtpd.itest.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.smtpd.api.Handler;
import io.smtpd.itest.Fixture;
import io.smtpd.itest.RecordingHandler;
import io.smtpd.itest.SmtpClient;
import io.smtpd.itest.SmtpClient.Response;

/**
 * Handlers are services: a server configured with a handler name takes the best matching service for each
 * transaction; handlers come, go and are replaced while sessions are open, and no session is dropped.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HandlerWhiteboardIT {
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
    }

    @Test
    public void messageSentOverASocketReachesTheHandlerService() throws Exception {
        RecordingHandler handler = fixture.handler("it-deliver");
        int port = fixture.server("deliver", "handler", "it-deliver");

        try (SmtpClient client = SmtpClient.connect(port)) {
            assertTrue(client.greeting().line(), client.greeting().line().startsWith("220 itest.local "));
            assertEquals("250 itest.local", client.send("HELO client.test").line());
            Response end = client.deliver("sender@client.test", "rcpt@itest.local",
                    "Subject: hello\r\n\r\nHello over a real socket\r\n");
            assertEquals(handler.dataReply(), end.line());
            assertEquals(221, client.send("QUIT").code());
        }
        RecordingHandler.Message message = handler.next();
        assertEquals("sender@client.test", message.mailFrom());
        assertEquals(java.util.List.of("rcpt@itest.local"), message.rcptTos());
        assertTrue(message.content(), message.content().contains("Hello over a real socket"));
    }

    @Test
    public void aTransactionFinishesWithItsHandlerAndTheNextUsesTheReplacement() throws Exception {
        RecordingHandler first = new RecordingHandler("first");
        ServiceRegistration<Handler> firstRegistration = fixture.handler(first, "it-replace", 0);
        int port = fixture.server("replace", "handler", "it-replace");

        try (SmtpClient client = SmtpClient.connect(port)) {
            client.send("EHLO client.test");
            assertEquals(250, client.send("MAIL FROM:<a@client.test>").code());
            assertEquals(250, client.send("RCPT TO:<b@itest.local>").code());

            firstRegistration.unregister();
            RecordingHandler second = new RecordingHandler("second");
            fixture.handler(second, "it-replace", 0);

            assertEquals(354, client.send("DATA").code());
            assertEquals(first.dataReply(), client.endData("Subject: one\r\n\r\nstarted with first").line());
            assertEquals(second.dataReply(), client.deliver("a@client.test", "b@itest.local", "two").line());
            assertEquals(250, client.send("NOOP").code());

            assertTrue(first.next().content().contains("started with first"));
            assertTrue(second.next().content().contains("two"));
            assertEquals(0, first.pending());
        }
    }

    @Test
    public void withoutAHandlerMailGets451AndTheSessionGoesOn() throws Exception {
        RecordingHandler handler = new RecordingHandler("before");
        ServiceRegistration<Handler> registration = fixture.handler(handler, "it-removal", 0);
        int port = fixture.server("removal", "handler", "it-removal");

        try (SmtpClient client = SmtpClient.connect(port)) {
            client.send("HELO client.test");
            assertEquals(handler.dataReply(), client.deliver("a@client.test", "b@itest.local", "one").line());

            registration.unregister();
            Response refused = client.send("MAIL FROM:<a@client.test>");
            assertTrue(refused.line(), refused.line().startsWith("451 4.3.0 "));
            assertEquals(250, client.send("NOOP").code());
            assertEquals(503, client.send("RCPT TO:<b@itest.local>").code()); // no transaction was started
            assertEquals(250, client.send("RSET").code());

            RecordingHandler back = fixture.handler("it-removal");
            assertEquals(back.dataReply(), client.deliver("a@client.test", "b@itest.local", "two").line());
            assertEquals(221, client.send("QUIT").code());
        }
        assertTrue(handler.next().content().contains("one"));
        assertEquals(0, handler.pending());
    }

    @Test
    public void theHighestRankedMatchingHandlerWins() throws Exception {
        RecordingHandler low = new RecordingHandler("low");
        RecordingHandler high = new RecordingHandler("high");
        ServiceRegistration<Handler> lowRegistration = fixture.handler(low, "it-rank", 1);
        ServiceRegistration<Handler> highRegistration = fixture.handler(high, "it-rank", 10);
        fixture.handler(new RecordingHandler("other name"), "it-rank-other", 100); // ranked higher, not selected
        int port = fixture.server("rank", "handler", "it-rank");

        try (SmtpClient client = SmtpClient.connect(port)) {
            client.send("HELO client.test");
            assertEquals(high.dataReply(), client.deliver("a@client.test", "b@itest.local", "1").line());

            // a better handler registered mid-transaction serves the next transaction only
            assertEquals(250, client.send("MAIL FROM:<a@client.test>").code());
            assertEquals(250, client.send("RCPT TO:<b@itest.local>").code());
            RecordingHandler top = new RecordingHandler("top");
            ServiceRegistration<Handler> topRegistration = fixture.handler(top, "it-rank", 20);
            assertEquals(354, client.send("DATA").code());
            assertEquals(high.dataReply(), client.endData("2").line());
            assertEquals(top.dataReply(), client.deliver("a@client.test", "b@itest.local", "3").line());

            // a ranking changed through the registration counts from the next transaction
            lowRegistration.setProperties(properties("it-rank", 50));
            assertEquals(low.dataReply(), client.deliver("a@client.test", "b@itest.local", "4").line());

            lowRegistration.unregister();
            topRegistration.unregister();
            assertEquals(high.dataReply(), client.deliver("a@client.test", "b@itest.local", "5").line());
            highRegistration.unregister();
        }
    }

    private static java.util.Hashtable<String, Object> properties(String name, int ranking) {
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put(Handler.NAME, name);
        props.put(Constants.SERVICE_RANKING, ranking);
        return props;
    }
}
