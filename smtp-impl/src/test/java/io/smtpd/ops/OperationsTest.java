package io.smtpd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.auth.AuthResult;
import io.smtpd.api.auth.LoginPassword;
import io.smtpd.api.command.CommandInfo;
import io.smtpd.api.reply.Reply;
import io.smtpd.server.ServerHealth;
import io.smtpd.server.ServerStatsMXBean;
import io.smtpd.server.SessionInfo;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;
import io.smtpd.tls.TestCertificates;

/** Counters over JMX, the session list and kill, the MDC, the health check. */
class OperationsTest {
    private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();

    /** Rejects messages that contain REJECT; the MAIL hook answers later, from another thread. */
    private static final class Verdicts implements Handler {
        @Override
        public HookResult handleMail(Session session, Envelope envelope, String address, List<String> options) {
            return HookResult.later(CompletableFuture.supplyAsync(HookResult::proceed,
                    CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)));
        }

        @Override
        public HookResult handleData(Session session, Envelope envelope) {
            String content = new String(envelope.originalContent(), StandardCharsets.UTF_8);
            return content.contains("REJECT") ? HookResult.reply("550 5.7.1 Rejected") : HookResult.proceed();
        }
    }

    /** A client that counts what it sent and the replies it got, by class. */
    private static final class Counting implements AutoCloseable {
        final RawClient raw;
        long bytes;
        final long[] classes = new long[6];

        Counting(SmtpServer server) throws IOException {
            raw = new RawClient(server.localAddress());
            read();
        }

        String read() throws IOException {
            String reply = raw.reply();
            classes[reply.charAt(0) - '0']++;
            return reply;
        }

        String command(String line) throws IOException {
            send(line);
            return read();
        }

        void send(String line) throws IOException {
            raw.send(line);
            bytes += line.getBytes(StandardCharsets.UTF_8).length + 2;
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }

    private static SmtpServer.Builder builder(String name) {
        return SmtpServer.builder().name(name)
                .settings(TestServers.settings().authRequireTls(false).build())
                .handler(new Verdicts())
                .authenticator((session, envelope, mechanism, data) -> {
                    LoginPassword lp = (LoginPassword) data;
                    return "user".equals(lp.loginString())
                            && lp.passwordEquals("secret".getBytes(StandardCharsets.UTF_8))
                            ? AuthResult.success("user") : AuthResult.failure();
                });
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }

    private static long attribute(ObjectName name, String attribute) throws Exception {
        return ((Number) MBEANS.getAttribute(name, attribute)).longValue();
    }

    @Test
    void jmxCountersMatchTheTraffic() throws Exception {
        long bytes = 0;
        long[] classes = new long[6];
        int commands = 0;
        try (SmtpServer server = builder("ops-jmx").build().start()) {
            ObjectName name = server.objectName();
            assertEquals(new ObjectName("io.smtpd:type=Server,name=ops-jmx"), name);
            assertTrue(MBEANS.isRegistered(name));
            try (Counting c = new Counting(server)) {
                assertTrue(c.command("EHLO client.test").startsWith("250"));
                assertTrue(c.command("AUTH PLAIN " + plain("user", "secret")).startsWith("235"));
                assertTrue(c.command("MAIL FROM:<a@example.test>").startsWith("250"));
                assertTrue(c.command("RCPT TO:<b@example.test>").startsWith("250"));
                assertTrue(c.command("DATA").startsWith("354"));
                c.send("Subject: fine");
                c.send("");
                c.send("hello");
                assertTrue(c.command(".").startsWith("250"));
                assertTrue(c.command("MAIL FROM:<a@example.test>").startsWith("250"));
                assertTrue(c.command("RCPT TO:<b@example.test>").startsWith("250"));
                assertTrue(c.command("DATA").startsWith("354"));
                c.send("REJECT me");
                assertTrue(c.command(".").startsWith("550"));
                assertTrue(c.command("BOGUS").startsWith("500"));
                assertTrue(c.command("QUIT").startsWith("221"));
                commands += 10;
                bytes += c.bytes;
                for (int i = 0; i < 6; i++) {
                    classes[i] += c.classes[i];
                }
            }
            try (Counting c = new Counting(server)) {
                assertTrue(c.command("EHLO client.test").startsWith("250"));
                assertTrue(c.command("AUTH PLAIN " + plain("user", "wrong")).startsWith("535"));
                assertEquals(1, server.sessions().size());
                commands += 2;
                bytes += c.bytes;
                for (int i = 0; i < 6; i++) {
                    classes[i] += c.classes[i];
                }
            } // the client just goes away
            await(() -> server.stats().getSessionsOpen() == 0);

            assertEquals("ops-jmx", MBEANS.getAttribute(name, "ServerName"));
            assertEquals("127.0.0.1:" + server.localAddress().getPort(), MBEANS.getAttribute(name, "ListenAddress"));
            assertEquals(0, attribute(name, "SessionsOpen"));
            assertEquals(2, attribute(name, "SessionsTotal"));
            assertEquals(commands, attribute(name, "Commands"));
            assertEquals(1, attribute(name, "MessagesAccepted"));
            assertEquals(1, attribute(name, "MessagesRejected"));
            assertEquals(bytes, attribute(name, "BytesReceived"));
            assertEquals(classes[2], attribute(name, "Replies2xx"));
            assertEquals(classes[3], attribute(name, "Replies3xx"));
            assertEquals(classes[4], attribute(name, "Replies4xx"));
            assertEquals(classes[5], attribute(name, "Replies5xx"));
            assertEquals(1, attribute(name, "AuthSuccesses"));
            assertEquals(1, attribute(name, "AuthFailures"));
            assertEquals(0, attribute(name, "TlsHandshakes"));
            // hooks: EHLO x2, AUTH x2?, MAIL x2 (20 ms each, asynchronous), RCPT x2, DATA x2, QUIT
            assertTrue(attribute(name, "HandlerCalls") >= 8, "handler calls");
            assertTrue(attribute(name, "HandlerTimeMaxMicros") >= 15_000, "the slow MAIL hook is measured");
            assertTrue(attribute(name, "HandlerTimeTotalMicros") >= 2 * 15_000);

            MBEANS.invoke(name, "reset", new Object[0], new String[0]);
            assertEquals(0, attribute(name, "SessionsTotal"));
            assertEquals(0, attribute(name, "MessagesAccepted"));
            assertEquals(0, attribute(name, "HandlerTimeMaxMicros"));
        }
        assertFalse(MBEANS.isRegistered(new ObjectName("io.smtpd:type=Server,name=ops-jmx")), "unregistered on stop");
    }

    @Test
    void aTakenNameGetsThePort() throws Exception {
        try (SmtpServer first = builder("ops-twice").build().start();
             SmtpServer second = builder("ops-twice").build().start();
             SmtpServer none = builder("ops-none").jmx(false).build().start()) {
            assertEquals(new ObjectName("io.smtpd:type=Server,name=ops-twice"), first.objectName());
            assertEquals(new ObjectName("io.smtpd:type=Server,name=ops-twice-" + second.localAddress().getPort()),
                    second.objectName());
            assertNull(none.objectName());
            assertNotNull(none.stats());
        }
    }

    @Test
    void tlsHandshakesAndFailuresAreCounted() throws Exception {
        TestCertificates certs = TestCertificates.get();
        try (SmtpServer server = SmtpServer.builder().name("ops-tls").handler(new Verdicts())
                .settings(TestServers.settings().starttls(certs.rsa).requireStartTls(false).build()).build().start()) {
            try (RawClient c = new RawClient(server.localAddress())) {
                c.reply();
                c.command("EHLO client.test");
                assertTrue(c.command("STARTTLS").startsWith("220"));
                c.startTls(TestCertificates.clientContext(certs.rsaCertificate));
                assertTrue(c.command("EHLO client.test").startsWith("250"));
                assertTrue(c.command("QUIT").startsWith("221"));
            }
            try (RawClient c = new RawClient(server.localAddress())) {
                c.reply();
                assertTrue(c.command("STARTTLS").startsWith("220"));
                c.sendRaw("this is no TLS client hello\r\n");
            }
            await(() -> server.stats().getSessionsOpen() == 0);
            ServerStatsMXBean stats = server.stats();
            assertEquals(1, stats.getTlsHandshakes());
            assertEquals(1, stats.getTlsFailures());
        }
    }

    @Test
    void sessionsAreListedAndKilled() throws Exception {
        try (SmtpServer server = builder("ops-kill").build().start();
             RawClient c = new RawClient(server.localAddress())) {
            c.reply();
            assertTrue(c.command("EHLO client.test").startsWith("250"));
            assertTrue(c.command("MAIL FROM:<a@example.test>").startsWith("250"));
            List<SessionInfo> sessions = server.sessions();
            assertEquals(1, sessions.size());
            SessionInfo session = sessions.get(0);
            assertEquals("ops-kill", session.server());
            assertEquals("transaction", session.state());
            assertEquals(c.socket().getLocalPort(), session.client().getPort());
            assertTrue(session.bytesReceived() > 20);
            assertTrue(session.bytesSent() > 20);
            assertFalse(session.age().isNegative());

            assertFalse(server.kill("no-such-session"));
            assertTrue(server.kill(session.id()));
            assertTrue(c.reply().startsWith("421 4.3.2"));
            assertTrue(c.closedByServer());
            await(() -> server.sessions().isEmpty());
        }
    }

    @Test
    void theMdcNamesTheSessionInHooksCommandsAndCompletions() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        CompletableFuture<HookResult> mail = new CompletableFuture<>();
        Handler handler = new Handler() {
            @Override
            public HookResult handleMail(Session session, Envelope envelope, String address, List<String> options) {
                seen.put("mail.id", session.id());
                seen.put("mail.session", String.valueOf(MDC.get("smtp.session")));
                return HookResult.later(mail);
            }

            @Override
            public HookResult handleRcpt(Session session, Envelope envelope, String address, List<String> options) {
                // pipelined after MAIL: runs on the thread that completed MAIL's stage
                seen.put("rcpt.thread", Thread.currentThread().getName());
                seen.put("rcpt.session", String.valueOf(MDC.get("smtp.session")));
                seen.put("rcpt.server", String.valueOf(MDC.get("smtp.server")));
                return HookResult.proceed();
            }
        };
        try (SmtpServer server = SmtpServer.builder().name("ops-mdc").handler(handler)
                .settings(TestServers.settings().build())
                .command(CommandInfo.of("MDC", "MDC"), (context, argument) -> HookResult.reply(Reply.of(250,
                        MDC.get("smtp.session") + " " + MDC.get("smtp.server") + " " + MDC.get("smtp.client"))))
                .build().start();
             RawClient c = new RawClient(server.localAddress())) {
            c.reply();
            String id = server.sessions().get(0).id();
            String reply = c.command("MDC");
            assertEquals("250 " + id + " ops-mdc 127.0.0.1:" + c.socket().getLocalPort(), reply);
            c.command("EHLO client.test");
            c.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n");
            await(() -> seen.containsKey("mail.id"));
            assertEquals(id, seen.get("mail.id"));
            assertEquals(id, seen.get("mail.session"));

            MDC.put("smtp.session", "outer");
            Thread.currentThread().setName("completing-" + Thread.currentThread().getId());
            mail.complete(HookResult.proceed()); // the conversation continues on this thread
            assertEquals("outer", MDC.get("smtp.session"), "the thread's own MDC is restored");
            assertNull(MDC.get("smtp.server"));
            MDC.remove("smtp.session");

            assertTrue(c.reply().startsWith("250"));
            assertTrue(c.reply().startsWith("250"));
            assertEquals(Thread.currentThread().getName(), seen.get("rcpt.thread"));
            assertEquals(id, seen.get("rcpt.session"));
            assertEquals("ops-mdc", seen.get("rcpt.server"));
        }
    }

    @Test
    void healthReportsBindingHandlerAndCertificateExpiry() throws Exception {
        TestCertificates certs = TestCertificates.get(); // valid for 3 days
        SmtpServer server = SmtpServer.builder().name("ops-health").handler(new Verdicts())
                .settings(TestServers.settings().starttls(certs.rsa).build()).build();
        try (server) {
            assertEquals(ServerHealth.Status.DOWN, server.health().status(), "not started");
            server.start();
            ServerHealth health = server.health();
            assertTrue(health.bound());
            assertTrue(health.handlerPresent());
            assertEquals(server.localAddress(), health.address());
            assertEquals(ServerHealth.Status.WARN, health.status(), "expires within 14 days");
            assertEquals(1, health.certificates().size());
            ServerHealth.CertificateExpiry cert = health.certificates().get(0);
            assertEquals("starttls", cert.use());
            assertTrue(cert.daysLeft() >= 1 && cert.daysLeft() <= 3, "days left: " + cert.daysLeft());
            assertTrue(cert.subject().contains("CN=localhost"));
            assertEquals(1, health.problems().size());
            ServerHealth relaxed = server.health(1);
            assertEquals(ServerHealth.Status.UP, relaxed.status(), relaxed.problems().toString());
            assertTrue(relaxed.isUp());
        }
        assertEquals(ServerHealth.Status.DOWN, server.health().status(), "stopped");

        try (SmtpServer noHandler = SmtpServer.builder().name("ops-health2")
                .settings(TestServers.settings().build()).build().start()) {
            ServerHealth health = noHandler.health();
            assertEquals(ServerHealth.Status.WARN, health.status());
            assertFalse(health.handlerPresent());
            assertTrue(health.certificates().isEmpty());
            assertNotEquals(List.of(), health.problems());
        }
    }
}
