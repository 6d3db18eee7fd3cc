package io.smtpd.itest.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import io.smtpd.itest.Await;
import io.smtpd.itest.Fixture;
import io.smtpd.itest.RecordingHandler;
import io.smtpd.itest.SmtpClient;

/** The shell scenarios; they use smtpd and Karaf shell types, so this class loads only after the feature. */
final class KarafShellScenarios {
    private KarafShellScenarios() {
    }

    static void listKillAndCount(BundleContext context, ConfigurationAdmin configAdmin) throws Exception {
        SessionFactory factory = Await.value("the Karaf SessionFactory", () -> service(context, SessionFactory.class));
        try (Fixture fixture = new Fixture(context, configAdmin)) {
            RecordingHandler handler = fixture.handler("shell-it");
            int port = fixture.server("karaf-shell", "handler", "shell-it");
            try (SmtpClient delivered = SmtpClient.connect(port)) {
                assertEquals(250, delivered.send("EHLO client.test").code());
                assertEquals(handler.dataReply(), delivered.deliver("sender@client.test", "rcpt@itest.local",
                        "Subject: shell\r\n\r\nhello").line());
                assertEquals(221, delivered.send("QUIT").code());
            }
            try (SmtpClient live = SmtpClient.connect(port)) {
                assertEquals(250, live.send("EHLO client.test").code());
                // the command extender registers the commands asynchronously: wait for them
                String line = Await.value("smtp:sessions listing the live session", () -> run(factory,
                        "smtp:sessions").lines().filter(l -> l.contains("| karaf-shell | 127.0.0.1:")
                        && l.contains("| command")).findFirst().orElse(null));
                String id = line.substring(0, line.indexOf(' '));

                String servers = run(factory, "smtp:servers");
                assertTrue(servers, servers.lines().anyMatch(l -> l.startsWith("karaf-shell ")
                        && l.contains("127.0.0.1:" + port) && l.contains("| present |") && l.contains("| UP")));

                String stats = run(factory, "smtp:stats karaf-shell");
                assertTrue(stats, stats.contains("sessions total           2"));
                assertTrue(stats, stats.contains("messages accepted        1"));

                String health = run(factory, "smtp:health");
                assertTrue(health, health.contains("karaf-shell: UP"));

                String killed = run(factory, "smtp:kill " + id);
                assertEquals("Session " + id + " on karaf-shell closed with 421", killed.strip());
                List<String> said = live.awaitClose();
                assertTrue(said.toString(), said.size() == 1 && said.get(0).startsWith("421 4.3.2"));
                Await.until("the killed session gone", () -> !run(factory, "smtp:sessions").contains(id + " "));
            }

            // JMX: the counters in the MBean server Karaf's JMX connector serves
            MBeanServer mbeans = Await.value("an MBeanServer service", () -> service(context, MBeanServer.class));
            ObjectName name = new ObjectName("io.smtpd:type=Server,name=karaf-shell");
            Await.until("the MBean " + name, () -> mbeans.isRegistered(name));
            assertEquals(2L, mbeans.getAttribute(name, "SessionsTotal"));
            assertEquals(1L, mbeans.getAttribute(name, "MessagesAccepted"));
            assertEquals(0L, mbeans.getAttribute(name, "MessagesRejected"));
            assertTrue((Long) mbeans.getAttribute(name, "BytesReceived") > 50);
            // in Karaf through the JMX whiteboard (an OSGi service with jmx.objectname), not registered directly too
            assertEquals(1, context.getServiceReferences("io.smtpd.server.ServerStatsMXBean",
                    "(jmx.objectname=" + name + ")").length);
            assertTrue(java.util.Arrays.stream(context.getBundles())
                    .anyMatch(b -> "org.apache.aries.jmx.whiteboard".equals(b.getSymbolicName())));
        }
    }

    private static <T> T service(BundleContext context, Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        return ref == null ? null : context.getService(ref);
    }

    /** Runs a shell command line and returns what it printed. */
    static String run(SessionFactory factory, String command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = factory.create(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            session.execute(command);
        } catch (Exception e) {
            out.println("FAILED: " + e);
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
