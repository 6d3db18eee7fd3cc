package io.smtpd.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.smtpd.api.Envelope;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;

/**
 * {@link SmtpServer#stop()} ends sessions gracefully (issue 6, item 6): stop accepting, {@code 421} to idle sessions,
 * in-flight replies finish within the grace period (5 s), a message not completed is never delivered, and the port
 * is free afterwards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulShutdownTest {
    private static final String SHUTTING_DOWN = "421 4.3.2 Service shutting down";
    /** SmtpServer.stop()'s grace period, and slack for a busy machine. */
    private static final long GRACE_MILLIS = 5_000;
    private static final long SLACK_MILLIS = 5_000;

    private final List<SmtpWire> clients = new ArrayList<>();
    private SmtpServer server;

    @AfterEach
    void tearDown() throws IOException {
        for (SmtpWire c : clients) {
            c.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private SmtpWire connect() throws IOException {
        SmtpWire c = new SmtpWire(server.localAddress());
        clients.add(c);
        return c;
    }

    /** stop() on another thread; its future completes when it returned. */
    private CompletableFuture<Long> stopInBackground() {
        long start = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> {
            server.stop();
            return (System.nanoTime() - start) / 1_000_000L;
        }, Attack.blocking());
    }

    @Test
    void idleSessionsGet421AndAreClosed() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        server = TestServers.start(handler);
        SmtpWire greeted = connect();
        greeted.expect(220);
        SmtpWire helloed = connect().hello();
        SmtpWire midTransaction = connect().hello();
        midTransaction.expect("MAIL FROM:<a@example.com>", 250);

        long took = stopInBackground().get(GRACE_MILLIS + SLACK_MILLIS, TimeUnit.MILLISECONDS);

        for (SmtpWire c : List.of(greeted, helloed, midTransaction)) {
            assertEquals(SHUTTING_DOWN, c.reply());
            assertTrue(c.awaitClose(SLACK_MILLIS), "closed after the 421");
        }
        assertTrue(took < GRACE_MILLIS, "idle sessions should not hold stop() for the grace period: " + took + " ms");
        assertEquals(0, handler.messages().size());
    }

    @Test
    void aMessageNotFinishedIsNeverDeliveredAndItsClientIsClosedWithinTheGracePeriod() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        server = TestServers.start(handler);
        SmtpWire c = connect().hello();
        c.expect("MAIL FROM:<a@example.com>", 250);
        c.expect("RCPT TO:<b@example.com>", 250);
        c.expect("DATA", 354);
        c.sendRaw("Subject: half\r\n\r\nthe first half of the body\r\n");

        long start = System.nanoTime();
        CompletableFuture<Long> stopped = stopInBackground();
        assertTrue(c.awaitClose(GRACE_MILLIS + SLACK_MILLIS), "closed within the grace period");
        long closedAfter = (System.nanoTime() - start) / 1_000_000L;
        stopped.get(SLACK_MILLIS, TimeUnit.MILLISECONDS);

        assertTrue(closedAfter < GRACE_MILLIS + SLACK_MILLIS, "closed after " + closedAfter + " ms");
        assertEquals(0, handler.messages().size(), "a message without its terminator was delivered");
    }

    @Test
    void aMessageFinishedDuringTheGracePeriodIsDeliveredAndAnsweredBeforeThe421() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        server = TestServers.start(handler);
        InetSocketAddress address = server.localAddress();
        SmtpWire c = connect().hello();
        c.expect("MAIL FROM:<a@example.com>", 250);
        c.expect("RCPT TO:<b@example.com>", 250);
        c.expect("DATA", 354);
        c.sendRaw("Subject: in flight\r\n\r\nfirst half\r\n");

        CompletableFuture<Long> stopped = stopInBackground();
        awaitRefused(address); // the listener is unbound: stop() is under way
        c.sendRaw("second half\r\n.\r\n");

        assertTrue(c.reply().startsWith("250"), "the message in flight is answered");
        assertEquals(SHUTTING_DOWN, c.reply());
        assertTrue(c.awaitClose(SLACK_MILLIS));
        stopped.get(GRACE_MILLIS + SLACK_MILLIS, TimeUnit.MILLISECONDS);
        assertEquals(1, handler.messages().size());
        assertTrue(handler.messages().get(0).text().endsWith("first half\r\nsecond half\r\n"));
    }

    @Test
    void aSlowDataHookCompletesItsMessageThenThe421() throws Exception {
        CountDownLatch inHook = new CountDownLatch(1);
        List<byte[]> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
        RecordingHandler slow = new RecordingHandler() {
            @Override
            public HookResult handleData(Session session, Envelope envelope) {
                byte[] content = envelope.content();
                inHook.countDown();
                return HookResult.later(CompletableFuture.supplyAsync(() -> {
                    stored.add(content); // "stored" only when the hook completes, 300 ms later
                    return HookResult.proceed();
                }, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)));
            }
        };
        server = TestServers.start(slow);
        SmtpWire c = connect().hello();
        c.expect("MAIL FROM:<a@example.com>", 250);
        c.expect("RCPT TO:<b@example.com>", 250);
        c.expect("DATA", 354);
        c.sendRaw("Subject: slow\r\n\r\nbody\r\n.\r\n");
        assertTrue(inHook.await(SLACK_MILLIS, TimeUnit.MILLISECONDS));

        CompletableFuture<Long> stopped = stopInBackground();

        assertEquals("250 OK", c.reply());
        assertEquals(SHUTTING_DOWN, c.reply());
        assertTrue(c.awaitClose(SLACK_MILLIS));
        stopped.get(GRACE_MILLIS + SLACK_MILLIS, TimeUnit.MILLISECONDS);
        assertEquals(1, stored.size());
    }

    @Test
    void thePortIsReleasedAndNewConnectionsAreRefusedAfterStop() throws Exception {
        server = TestServers.start(new RecordingHandler());
        InetSocketAddress address = server.localAddress();
        connect().hello();
        server.stop();

        assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close());
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true); // connections of the test may linger in TIME_WAIT; a listener may not
            again.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), address.getPort()));
        }
        // and a new server takes the same port
        server = SmtpServer.builder().settings(TestServers.settings().port(address.getPort()).build())
                .handler(new RecordingHandler()).build().start();
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            assertEquals("250 OK", c.transaction("a@example.com", "b@example.com", "Subject: again\r\n\r\nhi"));
        }
    }

    @Test
    void aClientThatReadsNothingCannotHoldStopBeyondTheGracePeriod() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        server = TestServers.start(handler);
        InetSocketAddress address = server.localAddress();
        SmtpWire deaf = new SmtpWire(address, s -> {
            try {
                s.setReceiveBufferSize(4096);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        clients.add(deaf);
        deaf.hello();
        byte[] block = "HELP\r\n".repeat(10_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    deaf.socket().getOutputStream().write(block); // blocks once the server stops reading
                    written.addAndGet(block.length);
                }
            } catch (IOException closed) {
                // the server closed it
            }
        }, Attack.blocking());
        // wait until the server no longer reads from it: its replies are stuck behind a client that reads nothing
        long last = -1;
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(1)) {
            assertTrue(!flood.isDone() && System.nanoTime() < deadline, "the server read everything of a deaf client");
            if (written.get() != last) {
                last = written.get();
                quietSince = System.nanoTime();
            }
            Thread.sleep(20);
        }
        SmtpWire idle = connect().hello();

        long took = stopInBackground().get(GRACE_MILLIS + SLACK_MILLIS, TimeUnit.MILLISECONDS);

        assertTrue(took < GRACE_MILLIS + SLACK_MILLIS, "stop() took " + took + " ms");
        assertEquals(SHUTTING_DOWN, idle.reply());
        flood.get(SLACK_MILLIS, TimeUnit.MILLISECONDS); // its writes fail once the connection is closed
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), address.getPort()));
        }
    }

    @Test
    void stopIsIdempotentAndReturnsPromptlyWithoutSessions() throws Exception {
        server = TestServers.start(new RecordingHandler());
        long took = stopInBackground().get(GRACE_MILLIS + SLACK_MILLIS, TimeUnit.MILLISECONDS);
        assertTrue(took < GRACE_MILLIS, "stop() without sessions took " + took + " ms");
        server.stop();
    }

    /** Polls until connecting to {@code address} is refused. */
    private static void awaitRefused(InetSocketAddress address) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(address, 1000);
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the listener still accepts connections");
    }
}
