package io.smtpd.itest.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

import io.smtpd.itest.Await;
import io.smtpd.itest.Fixture;
import io.smtpd.itest.RecordingHandler;
import io.smtpd.itest.Servers;
import io.smtpd.itest.SmtpClient;

/**
 * Each factory configuration of {@code io.smtpd.server} is a server of its own; updates apply live, a delete
 * closes the listener and releases the port, and Metatype describes the configuration.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServerConfigurationIT {
    @Inject
    private BundleContext context;
    @Inject
    private ConfigurationAdmin configAdmin;
    @Inject
    private MetaTypeService metaType;
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
    public void twoConfigurationsAreTwoServersWithTheirOwnHandlers() throws Exception {
        RecordingHandler alpha = fixture.handler("it-alpha");
        RecordingHandler gold = new RecordingHandler("beta gold");
        fixture.handler(gold, "it-beta", 0, "itest.tier", "gold");
        fixture.handler(new RecordingHandler("beta silver"), "it-beta", 10, "itest.tier", "silver");
        int alphaPort = fixture.server("alpha", "handler", "it-alpha");
        int betaPort = fixture.server("beta", "handler.target", "(&(smtp.handler.name=it-beta)(itest.tier=gold))");
        assertNotEquals(alphaPort, betaPort);

        try (SmtpClient toAlpha = SmtpClient.connect(alphaPort); SmtpClient toBeta = SmtpClient.connect(betaPort)) {
            toAlpha.send("HELO client.test");
            toBeta.send("HELO client.test");
            assertEquals(alpha.dataReply(), toAlpha.deliver("a@client.test", "x@itest.local", "for alpha").line());
            assertEquals(gold.dataReply(), toBeta.deliver("a@client.test", "y@itest.local", "for beta").line());
        }
        assertEquals(List.of("x@itest.local"), alpha.next().rcptTos());
        assertEquals(List.of("y@itest.local"), gold.next().rcptTos());
    }

    @Test
    public void aNewAddressRebindsTheListener() throws Exception {
        fixture.handler("it-rebind");
        int oldPort = fixture.server("rebind", "handler", "it-rebind");
        int newPort = Servers.freePort();

        fixture.update("rebind", "listen", SmtpClient.HOST + ":" + newPort);
        assertEquals(newPort, Servers.awaitNewPort(context, "rebind", oldPort));
        try (SmtpClient client = SmtpClient.connect(newPort)) {
            assertEquals(220, client.greeting().code());
        }
        Await.until("the old port " + oldPort + " to refuse connections", () -> Servers.refuses(oldPort));
        Await.until("the old port " + oldPort + " to be free", () -> Servers.canBind(oldPort));
    }

    @Test
    public void otherChangesApplyToNewSessionsWithoutDroppingOpenOnes() throws Exception {
        RecordingHandler handler = fixture.handler("it-live");
        int port = fixture.server("live", "handler", "it-live", "hostname", "before.test");

        try (SmtpClient open = SmtpClient.connect(port)) {
            assertTrue(open.greeting().line().startsWith("220 before.test "));
            assertEquals("250 before.test", open.send("HELO client.test").line());
            assertEquals(250, open.send("MAIL FROM:<a@client.test>").code());

            fixture.update("live", "hostname", "after.test");
            String greeting = Await.value("new sessions to greet with the new host name", () -> {
                try (SmtpClient fresh = SmtpClient.connect(port)) {
                    String line = fresh.greeting().line();
                    return line.startsWith("220 after.test ") ? line : null;
                } catch (java.io.IOException e) {
                    throw new AssertionError("the server stopped accepting on port " + port, e);
                }
            });
            assertNotNull(greeting);
            assertEquals("the port must not change", port, Servers.awaitPort(context, "live"));

            // the open session kept its transaction and its settings
            assertEquals(250, open.send("RCPT TO:<b@itest.local>").code());
            assertEquals(354, open.send("DATA").code());
            assertEquals(handler.dataReply(), open.endData("still here").line());
            assertEquals("250 before.test", open.send("HELO client.test").line());
        }
        assertTrue(handler.next().content().contains("still here"));
    }

    @Test
    public void deletingTheConfigurationClosesTheListenerAndReleasesThePort() throws Exception {
        fixture.handler("it-delete");
        int port = fixture.server("delete", "handler", "it-delete");

        try (SmtpClient open = SmtpClient.connect(port)) {
            assertEquals(250, open.send("HELO client.test").code());
            fixture.delete("delete");
            List<String> last = open.awaitClose();
            assertEquals("the open session is told, then closed", List.of("421 4.3.2 Service shutting down"), last);
        }
        Servers.awaitGone(context, "delete");
        Await.until("port " + port + " to refuse connections", () -> Servers.refuses(port));
        Await.until("port " + port + " to be free", () -> Servers.canBind(port));
    }

    @Test
    public void aMessageInFlightWhenTheConfigurationIsDeletedIsDeliveredWholeThenTheSessionIsTold421()
            throws Exception {
        RecordingHandler handler = fixture.handler("it-inflight");
        int port = fixture.server("inflight", "handler", "it-inflight");

        try (SmtpClient client = SmtpClient.connect(port)) {
            client.send("HELO client.test");
            assertEquals(250, client.send("MAIL FROM:<a@client.test>").code());
            assertEquals(250, client.send("RCPT TO:<b@itest.local>").code());
            assertEquals(354, client.send("DATA").code());
            client.write("Subject: in flight\r\n\r\nfirst half\r\n");

            fixture.delete("inflight");
            Servers.awaitGone(context, "inflight");
            Await.until("port " + port + " to stop accepting", () -> Servers.refuses(port));

            assertEquals(handler.dataReply(), client.endData("second half").line());
            assertEquals(List.of("421 4.3.2 Service shutting down"), client.awaitClose());
        }
        String content = handler.next().content();
        assertTrue(content, content.contains("first half") && content.contains("second half"));
        Await.until("port " + port + " to be free", () -> Servers.canBind(port));
    }

    @Test
    public void metatypeDescribesTheServerConfiguration() {
        Bundle impl = Arrays.stream(context.getBundles())
                .filter(b -> "io.smtpd.impl".equals(b.getSymbolicName())).findFirst().orElseThrow();
        String[] factoryPids = metaType.getMetaTypeInformation(impl).getFactoryPids();
        assertTrue(Arrays.toString(factoryPids), Arrays.asList(factoryPids).contains(Servers.FACTORY_PID));

        ObjectClassDefinition ocd = metaType.getMetaTypeInformation(impl)
                .getObjectClassDefinition(Servers.FACTORY_PID, null);
        Set<String> ids = new HashSet<>();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            ids.add(ad.getID());
            assertNotNull(ad.getID() + " has a description", ad.getDescription());
        }
        assertTrue(ids.toString(), ids.containsAll(List.of("listen", "handler", "handler.target", "size", "timeout",
                "hostname", "ident", "smtputf8", "decode.data", "max.connections")));
    }
}
