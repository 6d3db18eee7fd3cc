package io.smtpd.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;

/**
 * Clients that go away or never talk: abrupt disconnects in the middle of a command or a message deliver nothing; a
 * storm of 200 connections opened and dropped at once leaves no session behind; a client that sends nothing, or only
 * a trickle without line ends, is timed out with {@code 421}. Each is followed by a normal transaction.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DisconnectAndIdleTest {
    private static final String TRANSACTION = "MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n";

    /** What the client sends before it disappears; none of it may become a delivered message. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "mid-command: MAIL FROM:<a@exam",
        "mid-command after a pipelined transaction: " + TRANSACTION + "body\r\n.\r\nMAIL FROM:<c@d>",
        "mid-DATA: " + TRANSACTION + "Subject: cut\r\n\r\nhalf a bo",
        "mid-DATA after a full line: " + TRANSACTION + "Subject: cut\r\n\r\nhalf a body\r\n",
        "at the terminator's last octet: " + TRANSACTION + "Subject: cut\r\n\r\nbody\r\n.\r",
        "at the terminator's dot: " + TRANSACTION + "Subject: cut\r\n\r\nbody\r\n.",
    })
    void anAbruptDisconnectDeliversNothingUnfinished(String scenario) throws Exception {
        String sent = scenario.substring(scenario.indexOf(": ") + 2);
        int complete = scenario.startsWith("mid-command after") ? 1 : 0;
        for (boolean reset : new boolean[] {false, true}) {
            RecordingHandler handler = new RecordingHandler();
            try (SmtpServer server = TestServers.start(handler)) {
                SmtpWire c = new SmtpWire(server.localAddress());
                c.hello();
                c.sendRaw(sent);
                if (complete > 0) { // wait for the complete message's answer, so that it surely was delivered
                    c.expect(250);
                    c.expect(250);
                    c.expect(354);
                    c.expect(250);
                } else if (sent.startsWith(TRANSACTION)) {
                    c.expect(250);
                    c.expect(250);
                    c.expect(354);
                }
                if (reset) {
                    c.reset();
                } else {
                    c.close();
                }
                Attack.awaitNoSessions(server, 20_000);
                assertEquals(complete, handler.messages().size(), "delivered after a disconnect (reset=" + reset + ")");
                Attack.normalTransactionWorks(server, handler);
            }
        }
    }

    @Test
    void twoHundredConnectionsOpenedAndDroppedAtOnceLeaveNoSessionBehind() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer server = TestServers.start(handler)) {
            InetSocketAddress address = server.localAddress();
            ExecutorService pool = Executors.newFixedThreadPool(32);
            try {
                List<CompletableFuture<Void>> all = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int kind = i % 4;
                    all.add(CompletableFuture.runAsync(() -> storm(address, kind), pool));
                }
                CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            Attack.awaitNoSessions(server, 30_000);
            assertEquals(0, handler.messages().size());
            Attack.normalTransactionWorks(server, handler);
        }
    }

    /** One connection of the storm: closed at once, reset at once, closed after the greeting, or mid-command. */
    private static void storm(InetSocketAddress address, int kind) {
        try (Socket s = new Socket()) {
            s.connect(address, 20_000);
            s.setSoTimeout(20_000);
            switch (kind) {
                case 0:
                    break;
                case 1:
                    s.setSoLinger(true, 0);
                    break;
                case 2:
                    s.getInputStream().read();
                    break;
                default:
                    OutputStream out = s.getOutputStream();
                    out.write("EHLO storm\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nhalf".getBytes(
                            StandardCharsets.US_ASCII));
                    out.flush();
                    s.setSoLinger(true, 0);
                    break;
            }
        } catch (IOException e) {
            // a reset from either side is part of the storm
        }
    }

    @Test
    void aClientThatSendsNothingIsTimedOutWith421() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer server = TestServers.start(handler,
                TestServers.settings().timeout(Duration.ofMillis(500)))) {
            try (SmtpWire silent = new SmtpWire(server.localAddress())) {
                silent.expect(220);
                assertEquals("421 4.4.2 " + TestServers.HOSTNAME + " timeout", silent.reply());
                assertTrue(silent.awaitClose(10_000));
            }
            try (SmtpWire quick = new SmtpWire(server.localAddress())) {
                quick.hello();
                Attack.transactionWorks(quick, handler);
            }
        }
    }

    @Test
    void aTrickleWithoutLineEndsDoesNotKeepTheSessionAlive() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer server = TestServers.start(handler,
                TestServers.settings().timeout(Duration.ofMillis(1000)))) {
            try (SmtpWire slow = new SmtpWire(server.localAddress())) {
                slow.hello();
                slow.expect("MAIL FROM:<a@example.com>", 250);
                slow.expect("RCPT TO:<b@example.com>", 250);
                slow.expect("DATA", 354);
                // one octet every 100 ms, never a line end: only complete lines count as activity
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                boolean timedOut = false;
                try {
                    while (System.nanoTime() < deadline && !timedOut) {
                        slow.sendRaw("x");
                        slow.socket().setSoTimeout(100);
                        try {
                            String reply = slow.reply();
                            assertEquals("421 4.4.2 " + TestServers.HOSTNAME + " timeout", reply);
                            timedOut = true;
                        } catch (java.net.SocketTimeoutException stillOpen) {
                            // keep trickling
                        }
                    }
                } catch (IOException closed) {
                    timedOut = true;
                }
                assertTrue(timedOut, "a trickle without line ends kept the session alive for 30 s");
            }
            Attack.awaitNoSessions(server, 20_000);
            assertEquals(0, handler.messages().size());
            Attack.normalTransactionWorks(server, handler);
        }
    }
}
