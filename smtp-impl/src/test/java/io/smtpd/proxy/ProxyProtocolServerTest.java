package io.smtpd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.proxy.ProxyData;
import io.smtpd.handlers.Debugging;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;

/** The PROXY protocol on a running server: greeting held back, header accepted or refused, client address. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyProtocolServerTest {
    private static final String GREETING = "220 smtp.example.test smtpd 1.0";
    private static final String V1 = "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n";

    private SmtpServer server;

    /** Records what the PROXY hook saw, and answers as told. */
    static final class ProxyHandler extends RecordingHandler {
        final List<ProxyData> seen = new CopyOnWriteArrayList<>();
        final List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();
        final List<InetSocketAddress> clients = new CopyOnWriteArrayList<>();
        volatile HookResult answer = HookResult.proceed();
        volatile RuntimeException failure;

        @Override
        public HookResult handleProxy(Session session, Envelope envelope, ProxyData proxyData) {
            seen.add(proxyData);
            peers.add(session.peer());
            clients.add(session.clientAddress());
            if (failure != null) {
                throw failure;
            }
            return answer;
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private SmtpServer start(Handler handler, Duration timeout) {
        server = TestServers.start(handler, TestServers.settings().proxyProtocolTimeout(timeout));
        return server;
    }

    @Test
    void v1HeaderThenGreetingAndTheClientAddressReachesTheHandler() throws Exception {
        ProxyHandler handler = new ProxyHandler();
        start(handler, Duration.ofSeconds(5));
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendRaw(V1);
            assertEquals(GREETING, c.reply());
            sendMessage(c);
        }
        ProxyData data = handler.seen.get(0);
        assertEquals(1, data.version());
        assertEquals("TCP4", data.family());
        assertEquals(new InetSocketAddress("192.0.2.1", 56324), data.source());
        assertEquals(new InetSocketAddress("192.0.2.1", 56324), handler.clients.get(0));
        assertEquals("127.0.0.1", handler.peers.get(0).getAddress().getHostAddress(), "peer: the proxy itself");
        assertEquals("192.0.2.1", handler.take().peer(), "the message's client address");
    }

    @Test
    void v2HeaderWithTlvs() throws Exception {
        ProxyHandler handler = new ProxyHandler();
        start(handler, Duration.ofSeconds(5));
        byte[] header = ProxyV2.tcp6("2001:db8::7", 40123, "2001:db8::1", 25).tlv(0x02, "mx.example.org")
                .tlv(0x05, "conn-42").crc().build();
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendBytes(header);
            assertEquals(GREETING, c.reply());
            sendMessage(c);
        }
        ProxyData data = handler.seen.get(0);
        assertEquals(2, data.version());
        assertEquals("PROXY", data.command());
        assertEquals("INET6", data.family());
        assertEquals(40123, data.source().getPort());
        assertEquals("mx.example.org", data.tlvText(ProxyData.PP2_TYPE_AUTHORITY).orElseThrow());
        assertEquals("conn-42", data.tlvText(ProxyData.PP2_TYPE_UNIQUE_ID).orElseThrow());
        assertEquals("2001:db8:0:0:0:0:0:7", handler.take().peer());
    }

    @Test
    void xPeerShowsTheProxiedAddress() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        start(new Debugging(new PrintStream(printed, true, StandardCharsets.UTF_8)), Duration.ofSeconds(5));
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendRaw("PROXY TCP4 203.0.113.9 198.51.100.2 1234 25\r\n");
            assertEquals(GREETING, c.reply());
            sendMessage(c);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("X-Peer: 203.0.113.9"), out);
    }

    @Test
    void localCommandKeepsTheSocketPeer() throws Exception {
        ProxyHandler handler = new ProxyHandler();
        start(handler, Duration.ofSeconds(5));
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendBytes(ProxyV2.local().build());
            assertEquals(GREETING, c.reply());
            sendMessage(c);
        }
        assertEquals("LOCAL", handler.seen.get(0).command());
        assertEquals(handler.peers.get(0), handler.clients.get(0));
        assertEquals("127.0.0.1", handler.take().peer());
    }

    @Test
    void noGreetingBeforeTheHeader() throws Exception {
        start(new ProxyHandler(), Duration.ofSeconds(5));
        try (RawClient c = new RawClient(server.localAddress())) {
            assertNothingWithin(c, 400);
            c.sendRaw(V1.substring(0, 20));
            assertNothingWithin(c, 300);
            c.sendRaw(V1.substring(20));
            assertEquals(GREETING, c.reply());
        }
    }

    @Test
    void headerSplitByteByByte() throws Exception {
        ProxyHandler handler = new ProxyHandler();
        start(handler, Duration.ofSeconds(10));
        byte[][] headers = {V1.getBytes(StandardCharsets.US_ASCII),
            ProxyV2.tcp4("192.0.2.44", 1025, "198.51.100.2", 25).tlv(0x01, "smtp").crc().build()};
        for (byte[] header : headers) {
            try (RawClient c = new RawClient(server.localAddress())) {
                for (byte b : header) {
                    c.sendBytes(new byte[] {b});
                    Thread.sleep(2);
                }
                assertEquals(GREETING, c.reply());
                assertEquals("250 OK", c.command("NOOP"));
            }
        }
        assertEquals(56324, handler.seen.get(0).source().getPort());
        assertEquals(1025, handler.seen.get(1).source().getPort());
    }

    @Test
    void headerAndCommandsInOnePacket() throws Exception {
        ProxyHandler handler = new ProxyHandler();
        start(handler, Duration.ofSeconds(5));
        String session = "EHLO client.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"
                + "Subject: one packet\r\n\r\nbody\r\n.\r\nQUIT\r\n";
        for (byte[] header : new byte[][] {V1.getBytes(StandardCharsets.US_ASCII),
            ProxyV2.tcp4("192.0.2.1", 56324, "198.51.100.2", 25).build()}) {
            try (RawClient c = new RawClient(server.localAddress())) {
                c.sendBytes(ProxyV2.concat(header, session.getBytes(StandardCharsets.US_ASCII)));
                assertEquals(GREETING, c.reply());
                assertTrue(c.reply().startsWith("250-smtp.example.test"));
                assertEquals("250 OK", c.reply());
                assertEquals("250 OK", c.reply());
                assertEquals("354 End data with <CR><LF>.<CR><LF>", c.reply());
                assertEquals("250 OK", c.reply());
                assertEquals("221 Bye", c.reply());
            }
            RecordingHandler.Message m = handler.take();
            assertEquals("192.0.2.1", m.peer());
            assertEquals("Subject: one packet\r\n\r\nbody\r\n", m.text());
        }
    }

    @Test
    void missingHeaderTimesOutWithoutAReply() throws Exception {
        ProxyHandler handler = new ProxyHandler();
        start(handler, Duration.ofMillis(300));
        long started = System.nanoTime();
        try (RawClient c = new RawClient(server.localAddress())) {
            c.timeout(5000);
            assertTrue(c.closedByServer(), "closed, and not a byte sent");
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(elapsed >= 250 && elapsed < 4000, "closed after " + elapsed + " ms");
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendRaw(V1.substring(0, V1.length() - 1)); // all but the LF
            c.timeout(5000);
            assertTrue(c.closedByServer());
        }
        assertTrue(handler.seen.isEmpty());
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendRaw(V1);
            assertEquals(GREETING, c.reply(), "the server goes on");
        }
    }

    @Test
    void invalidHeadersCloseWithoutAReply() throws Exception {
        ProxyHandler handler = new ProxyHandler();
        start(handler, Duration.ofSeconds(10));
        byte[] badSignature = ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).build();
        badSignature[10] = 'P';
        byte[] badCrc = ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).tlv(0x03, new byte[] {1, 2, 3, 4}).build();
        byte[][] headers = {
            "HELO client.example\r\n".getBytes(StandardCharsets.US_ASCII),
            "PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n".getBytes(StandardCharsets.US_ASCII),
            "PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n".getBytes(StandardCharsets.US_ASCII),
            ("PROXY UNKNOWN " + "*".repeat(200) + "\r\n").getBytes(StandardCharsets.US_ASCII),
            badSignature,
            badCrc,
            ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).version(3).build(),
            ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).length(5000).build(),
        };
        for (byte[] header : headers) {
            try (RawClient c = new RawClient(server.localAddress())) {
                c.sendBytes(header);
                c.timeout(3000);
                assertTrue(c.closedByServer(), () -> "not closed at once: " + new String(header,
                        StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(handler.seen.isEmpty());
    }

    @Test
    void deniedByTheHookClosesWithoutAReply() throws Exception {
        ProxyHandler handler = new ProxyHandler();
        handler.answer = HookResult.deny();
        start(handler, Duration.ofSeconds(5));
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendRaw(V1 + "EHLO client.example\r\n");
            c.timeout(3000);
            assertTrue(c.closedByServer());
        }
        assertEquals(1, handler.seen.size());
        handler.answer = HookResult.later(CompletableFuture.supplyAsync(HookResult::deny,
                CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)));
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendRaw(V1);
            c.timeout(3000);
            assertTrue(c.closedByServer());
        }
        handler.answer = HookResult.proceed();
        handler.failure = new IllegalStateException("broken hook");
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendRaw(V1);
            c.timeout(3000);
            assertTrue(c.closedByServer(), "a failing hook refuses");
        }
    }

    @Test
    void hookThatDecidesLaterKeepsTheBytesAfterTheHeader() throws Exception {
        ProxyHandler handler = new ProxyHandler();
        CompletableFuture<HookResult> decision = new CompletableFuture<>();
        handler.answer = HookResult.later(decision);
        start(handler, Duration.ofSeconds(5));
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendRaw(V1 + "EHLO client.example\r\nNOOP\r\n");
            assertNothingWithin(c, 300);
            decision.complete(HookResult.proceed());
            assertEquals(GREETING, c.reply());
            assertTrue(c.reply().startsWith("250-smtp.example.test"));
            assertEquals("250 OK", c.reply());
            assertEquals("221 Bye", c.command("QUIT"));
        }
    }

    @Test
    void hookThatNeverDecidesTimesOut() throws Exception {
        ProxyHandler handler = new ProxyHandler();
        handler.answer = HookResult.later(new CompletableFuture<>());
        start(handler, Duration.ofMillis(400));
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendRaw(V1);
            c.timeout(5000);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void connectAndCloseProbesAreTolerated() throws Exception {
        ProxyHandler handler = new ProxyHandler();
        start(handler, Duration.ofSeconds(5));
        for (int i = 0; i < 50; i++) {
            new RawClient(server.localAddress()).close();
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            c.sendRaw(V1);
            assertEquals(GREETING, c.reply());
        }
        assertEquals(1, handler.seen.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.openSessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, server.openSessions(), "every probe's session is gone");
    }

    @Test
    void withoutTheOptionAProxyLineIsAnUnknownCommand() throws Exception {
        server = TestServers.start(new RecordingHandler());
        try (RawClient c = new RawClient(server.localAddress())) {
            assertEquals(GREETING, c.reply());
            assertEquals("500 Error: command \"PROXY\" not recognized", c.command(V1.trim()));
            assertEquals("250 OK", c.command("NOOP"));
        }
    }

    @Test
    void connectionCapAnswersBeforeAnyHeader() throws Exception {
        server = TestServers.start(new ProxyHandler(), TestServers.settings()
                .proxyProtocolTimeout(Duration.ofSeconds(5)).maxConnections(1));
        try (RawClient first = new RawClient(server.localAddress())) {
            first.sendRaw(V1);
            assertEquals(GREETING, first.reply());
            try (RawClient second = new RawClient(server.localAddress())) {
                assertEquals("421 4.7.0 Too many connections", second.reply());
                assertTrue(second.closedByServer());
            }
        }
    }

    @Test
    void perClientCapJudgesTheClientTheHeaderNamesNotTheBalancer() throws Exception {
        server = TestServers.start(new ProxyHandler(), TestServers.settings()
                .proxyProtocolTimeout(Duration.ofSeconds(5)).maxConnectionsPerClient(1));
        String fromA = "PROXY TCP4 192.0.2.1 198.51.100.2 40001 25\r\n";
        try (RawClient first = new RawClient(server.localAddress())) {
            first.sendRaw(fromA);
            assertEquals(GREETING, first.reply());
            try (RawClient other = new RawClient(server.localAddress())) {
                other.sendRaw("PROXY TCP4 192.0.2.9 198.51.100.2 40002 25\r\n");
                assertEquals(GREETING, other.reply(), "another client through the same balancer");
                try (RawClient again = new RawClient(server.localAddress())) {
                    again.sendRaw(fromA);
                    assertEquals("421 4.7.0 Too many connections from your address", again.reply());
                    assertTrue(again.closedByServer());
                }
            }
            first.send("QUIT");
            assertEquals("221 Bye", first.reply());
        }
        // the slot is given back under the client's address, not the balancer's
        String reply = null;
        for (int i = 0; i < 100 && !GREETING.equals(reply); i++) {
            try (RawClient later = new RawClient(server.localAddress())) {
                later.sendRaw(fromA);
                reply = later.reply();
            }
            if (!GREETING.equals(reply)) {
                Thread.sleep(20);
            }
        }
        assertEquals(GREETING, reply);
    }

    @Test
    void perClientCapWithALocalHeaderJudgesTheBalancer() throws Exception {
        server = TestServers.start(new ProxyHandler(), TestServers.settings()
                .proxyProtocolTimeout(Duration.ofSeconds(5)).maxConnectionsPerClient(1));
        try (RawClient check = new RawClient(server.localAddress())) {
            check.sendBytes(ProxyV2.local().build());
            assertEquals(GREETING, check.reply());
            try (RawClient second = new RawClient(server.localAddress())) {
                second.sendBytes(ProxyV2.local().build());
                assertEquals("421 4.7.0 Too many connections from your address", second.reply());
                assertTrue(second.closedByServer());
            }
        }
    }

    @Test
    void shutdownDuringTheHandshakeSendsNothing() throws Exception {
        start(new ProxyHandler(), Duration.ofSeconds(30));
        RawClient c = new RawClient(server.localAddress());
        try (c) {
            c.sendRaw("PROXY TCP4 ");
            Thread.sleep(100);
            server.stop();
            server = null;
            c.timeout(5000);
            assertTrue(c.closedByServer());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static void sendMessage(RawClient c) throws IOException {
        assertTrue(c.command("EHLO client.example").startsWith("250-"));
        assertEquals("250 OK", c.command("MAIL FROM:<a@example.com>"));
        assertEquals("250 OK", c.command("RCPT TO:<b@example.com>"));
        assertEquals("354 End data with <CR><LF>.<CR><LF>", c.command("DATA"));
        assertEquals("250 OK", c.command("Subject: proxied\r\n\r\nhello\r\n."));
        assertEquals("221 Bye", c.command("QUIT"));
    }

    private static void assertNothingWithin(RawClient c, int millis) throws IOException {
        c.timeout(millis);
        InputStream in = c.socket().getInputStream();
        try {
            int b = in.read();
            assertFalse(b >= 0, "the server sent a byte before accepting the header: " + (char) b);
            throw new AssertionError("the server closed the connection");
        } catch (SocketTimeoutException expected) {
            assertNotNull(expected);
        } finally {
            c.timeout(5000);
        }
    }

    static ServerSettings.Builder proxySettings(Duration timeout) {
        return TestServers.settings().proxyProtocolTimeout(timeout);
    }
}
