package io.smtpd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.proxy.ProxyData;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;

/**
 * The scale-out proof: a real HAProxy on loopback in front of two server instances, {@code send-proxy-v2},
 * round-robin. Concurrent clients send a few hundred messages through it; every message must arrive exactly once,
 * and each instance must see each message's real client address (127.0.0.1 and the client's own source port) through
 * the PROXY header, while its socket peer is HAProxy.
 *
 * <p>Needs the {@code haproxy} executable (Debian package {@code haproxy}). Without it the test is skipped, except
 * under CI ({@code CI=true}), where it fails.
 */
class HaproxyScaleOutTest {
    private static final int CLIENTS = 10;
    private static final int MESSAGES_PER_CLIENT = 30;
    private static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <([^>]+)>");

    /** What one instance saw of one message. */
    record Seen(String instance, String messageId, InetSocketAddress client, InetSocketAddress peer,
                InetSocketAddress proxySource) {
    }

    /** Records each message with the addresses its session saw. */
    static final class Recorder implements Handler {
        final String name;
        final List<Seen> seen;

        Recorder(String name, List<Seen> seen) {
            this.name = name;
            this.seen = seen;
        }

        @Override
        public HookResult handleData(Session session, Envelope envelope) {
            Matcher m = MESSAGE_ID.matcher(new String(envelope.content(), StandardCharsets.US_ASCII));
            String id = m.find() ? m.group(1) : null;
            InetSocketAddress source = session.proxyData().map(ProxyData::source).orElse(null);
            synchronized (seen) {
                seen.add(new Seen(name, id, session.clientAddress(), session.peer(), source));
            }
            return HookResult.proceed();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void messagesSpreadOverTwoInstancesArriveOnceWithTheRealClientAddress(@TempDir Path dir) throws Exception {
        String haproxy = findHaproxy();
        List<Seen> seen = new ArrayList<>();
        SmtpServer one = null;
        SmtpServer two = null;
        Process process = null;
        Path log = dir.resolve("haproxy.log");
        try {
            one = TestServers.start(new Recorder("one", seen),
                    TestServers.settings().proxyProtocolTimeout(Duration.ofSeconds(5)));
            two = TestServers.start(new Recorder("two", seen),
                    TestServers.settings().proxyProtocolTimeout(Duration.ofSeconds(5)));
            int front = freePort();
            Path config = dir.resolve("haproxy.cfg");
            Files.writeString(config, String.join("\n",
                    "global",
                    "    maxconn 256",
                    "defaults",
                    "    mode tcp",
                    "    timeout connect 5s",
                    "    timeout client 30s",
                    "    timeout server 30s",
                    "frontend smtp",
                    "    bind 127.0.0.1:" + front,
                    "    default_backend smtpd",
                    "backend smtpd",
                    "    balance roundrobin",
                    "    server s1 127.0.0.1:" + one.localAddress().getPort() + " send-proxy-v2",
                    "    server s2 127.0.0.1:" + two.localAddress().getPort() + " send-proxy-v2",
                    ""));
            process = new ProcessBuilder(haproxy, "-db", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", front);
            awaitListening(address, process, log);

            // each client sends its messages, one connection each (round-robin is per connection)
            Map<String, Integer> sourcePorts = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                int client = t;
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < MESSAGES_PER_CLIENT; i++) {
                        String id = "m" + client + "." + i + "@scale.test";
                        sourcePorts.put(id, send(address, id));
                    }
                    return null;
                }));
            }
            pool.shutdown();
            for (Future<?> f : clients) {
                f.get(150, TimeUnit.SECONDS);
            }
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));

            int total = CLIENTS * MESSAGES_PER_CLIENT;
            List<Seen> all;
            synchronized (seen) {
                all = new ArrayList<>(seen);
            }
            assertEquals(total, all.size(), "messages delivered across both instances");
            Map<String, Seen> byId = new HashMap<>();
            Map<String, Integer> perInstance = new HashMap<>();
            int viaProxy = 0;
            for (Seen s : all) {
                assertNotNull(s.messageId(), "a message without its Message-ID");
                if (byId.put(s.messageId(), s) != null) {
                    fail("delivered twice: " + s.messageId());
                }
                perInstance.merge(s.instance(), 1, Integer::sum);
                assertEquals("127.0.0.1", s.client().getAddress().getHostAddress());
                assertEquals(s.client(), s.proxySource(), "clientAddress() is the PROXY header's source");
                assertEquals(sourcePorts.get(s.messageId()).intValue(), s.proxySource().getPort(),
                        "the instance saw the client's own source port for " + s.messageId());
                if (s.peer().getPort() != s.proxySource().getPort()) {
                    viaProxy++;
                }
            }
            assertTrue(viaProxy > 0, "the socket peer is HAProxy, not the client");
            assertEquals(sourcePorts.keySet(), byId.keySet(), "every message arrived exactly once");
            assertTrue(perInstance.getOrDefault("one", 0) >= total / 4
                    && perInstance.getOrDefault("two", 0) >= total / 4, "both instances served: " + perInstance);
        } finally {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            if (one != null) {
                one.stop();
            }
            if (two != null) {
                two.stop();
            }
        }
    }

    /** One SMTP transaction through the balancer; answers the client's local port. */
    private static int send(InetSocketAddress address, String id) throws IOException {
        try (RawClient c = new RawClient(address)) {
            c.timeout(10_000);
            int port = c.socket().getLocalPort();
            expect(c.reply(), "220 ");
            expect(c.command("EHLO client.scale.test"), "250");
            expect(c.command("MAIL FROM:<sender@scale.test>"), "250 ");
            expect(c.command("RCPT TO:<rcpt@scale.test>"), "250 ");
            expect(c.command("DATA"), "354 ");
            expect(c.command("From: sender@scale.test\r\nTo: rcpt@scale.test\r\nMessage-ID: <" + id + ">\r\n"
                    + "Subject: scale-out " + id + "\r\n\r\nbody of " + id + "\r\n."), "250 ");
            expect(c.command("QUIT"), "221 ");
            return port;
        }
    }

    private static void expect(String reply, String prefix) {
        if (!reply.startsWith(prefix)) {
            throw new AssertionError("expected " + prefix + "..., got " + reply);
        }
    }

    private static String findHaproxy() {
        for (String candidate : new String[] {"/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy",
            "/usr/local/bin/haproxy"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(entry, "haproxy");
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        String message = "haproxy is not installed (Debian: apt-get install -y haproxy)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + "; CI must install it");
        }
        Assumptions.abort(message + "; skipping the HAProxy scale-out test");
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Waits until HAProxy accepts connections (its probe connections are tolerated by the instances). */
    private static void awaitListening(InetSocketAddress address, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("haproxy exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(address, 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail("haproxy did not listen on " + address + " within 15 s: " + Files.readString(log));
    }
}
