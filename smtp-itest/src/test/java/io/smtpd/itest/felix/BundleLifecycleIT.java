package io.smtpd.itest.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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

import io.smtpd.itest.Await;
import io.smtpd.itest.Fixture;
import io.smtpd.itest.RecordingHandler;
import io.smtpd.itest.Servers;
import io.smtpd.itest.SmtpClient;

/**
 * Stopping the implementation bundle with sessions open tells them 421, closes them, releases the port and leaves
 * no thread behind; starting it again brings the configured server back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleLifecycleIT {
    private static final String IMPL_BSN = "io.smtpd.impl";

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
        Bundle impl = impl();
        if (impl.getState() != Bundle.ACTIVE) {
            impl.start();
        }
        fixture.close();
    }

    @Test
    public void stoppingTheImplementationWithSessionsOpenReleasesThePortAndLeaksNoThreads() throws Exception {
        Set<String> before = serverThreads();
        RecordingHandler handler = fixture.handler("it-lifecycle");
        int port = fixture.server("lifecycle", "handler", "it-lifecycle");

        try (SmtpClient idle = SmtpClient.connect(port); SmtpClient busy = SmtpClient.connect(port)) {
            assertEquals(250, idle.send("HELO idle.test").code());
            assertEquals(250, busy.send("HELO busy.test").code());
            assertEquals(250, busy.send("MAIL FROM:<a@client.test>").code());
            assertEquals(250, busy.send("RCPT TO:<b@itest.local>").code());
            assertTrue("the server runs threads of its own", serverThreads().size() > before.size());

            impl().stop();

            assertEquals(List.of("421 4.3.2 Service shutting down"), idle.awaitClose());
            assertEquals(List.of("421 4.3.2 Service shutting down"), busy.awaitClose());
        }
        Servers.awaitGone(context, "lifecycle");
        Await.until("port " + port + " to be free", () -> Servers.canBind(port));
        Await.until("the server's threads to end; left: " + leftOver(before),
                () -> leftOver(before).isEmpty());
        assertEquals("the transaction cut short delivered nothing", 0, handler.pending());

        impl().start();
        int newPort = Servers.awaitPort(context, "lifecycle");
        try (SmtpClient client = SmtpClient.connect(newPort)) {
            client.send("HELO client.test");
            assertEquals(handler.dataReply(), client.deliver("a@client.test", "b@itest.local", "after").line());
        }
        assertTrue(handler.next().content().contains("after"));
    }

    private Set<String> leftOver(Set<String> before) {
        Set<String> now = serverThreads();
        now.removeAll(before);
        return now;
    }

    /** Threads of MINA (NioProcessor, NioSocketAcceptor) and of the server (smtpd-*), by name. */
    private static Set<String> serverThreads() {
        Set<String> names = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (thread.isAlive() && (name.contains("NioProcessor") || name.contains("NioSocketAcceptor")
                    || name.contains("smtpd"))) {
                names.add(name);
            }
        }
        return names;
    }

    private Bundle impl() {
        return Await.value("bundle " + IMPL_BSN, () -> Arrays.stream(context.getBundles())
                .filter(b -> IMPL_BSN.equals(b.getSymbolicName())).findFirst().orElse(null));
    }
}
