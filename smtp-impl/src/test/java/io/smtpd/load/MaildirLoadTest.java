package io.smtpd.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.smtpd.handlers.Mailbox;
import io.smtpd.hardening.SmtpWire;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.TestServers;

/**
 * Load with exact accounting (issue 6, item 8): 50 concurrent clients each send 200 messages (10,000 in all, each with
 * its own Message-ID) over real sockets into the Maildir handler, several messages per connection with MAIL, RCPT and
 * DATA pipelined. Every message must be in {@code new/} exactly once, intact; none lost, none duplicated, nothing left
 * in {@code tmp/}. Bounded in time: the test fails after 5 minutes; its duration is printed to the test output.
 */
class MaildirLoadTest {
    private static final int CLIENTS = 50;
    private static final int MESSAGES_PER_CLIENT = 200;
    private static final int MESSAGES_PER_CONNECTION = 50;
    private static final Pattern MESSAGE_ID = Pattern.compile("(?m)^Message-ID: <c(\\d+)-m(\\d+)@load\\.test>\r\n");

    @TempDir
    Path maildir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fiftyClientsTimesTwoHundredMessagesAreStoredExactlyOnce() throws Exception {
        Mailbox mailbox = new Mailbox(maildir);
        AtomicInteger accepted = new AtomicInteger();
        long start = System.nanoTime();
        try (SmtpServer server = TestServers.start(mailbox)) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<CompletableFuture<Void>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.add(CompletableFuture.runAsync(() -> send(server, client, accepted), pool));
                }
                CompletableFuture.allOf(clients.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.MINUTES);
            } finally {
                pool.shutdownNow();
            }
        }
        long sent = System.nanoTime();
        int total = CLIENTS * MESSAGES_PER_CLIENT;
        assertEquals(total, accepted.get(), "messages answered 250");

        // exact accounting
        Map<String, Integer> seen = new HashMap<>();
        try (Stream<Path> files = Files.list(maildir.resolve("new"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Matcher m = MESSAGE_ID.matcher(text);
                assertTrue(m.find(), "no Message-ID in " + file.getFileName());
                int client = Integer.parseInt(m.group(1));
                int message = Integer.parseInt(m.group(2));
                assertTrue(text.endsWith(body(client, message)), "message damaged: " + file.getFileName());
                seen.merge(client + "/" + message, 1, Integer::sum);
            }
        }
        List<String> duplicated = new ArrayList<>();
        seen.forEach((id, count) -> {
            if (count != 1) {
                duplicated.add(id + " x" + count);
            }
        });
        assertEquals(List.of(), duplicated, "duplicated messages");
        List<String> lost = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            for (int m = 0; m < MESSAGES_PER_CLIENT; m++) {
                if (!seen.containsKey(c + "/" + m)) {
                    lost.add(c + "/" + m);
                }
            }
        }
        assertEquals(List.of(), lost, "lost messages");
        assertEquals(total, seen.size());
        assertEquals(0, count(maildir.resolve("tmp")), "files left in tmp/");
        assertEquals(0, count(maildir.resolve("cur")), "files in cur/");

        long millis = TimeUnit.NANOSECONDS.toMillis(sent - start);
        System.out.printf("MaildirLoadTest: %d messages from %d clients stored in %d ms (%.0f messages/s), "
                        + "checked in %d ms%n", total, CLIENTS, millis, total * 1000.0 / Math.max(1, millis),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
    }

    /** One client: its 200 messages over connections of 50 messages each, MAIL, RCPT and DATA pipelined. */
    private static void send(SmtpServer server, int client, AtomicInteger accepted) {
        try {
            for (int first = 0; first < MESSAGES_PER_CLIENT; first += MESSAGES_PER_CONNECTION) {
                try (SmtpWire c = new SmtpWire(server.localAddress())) {
                    c.hello();
                    for (int m = first; m < first + MESSAGES_PER_CONNECTION; m++) {
                        c.queue("MAIL FROM:<c" + client + "@load.test>")
                                .queue("RCPT TO:<rcpt" + (m % 3) + "@load.test>")
                                .queue("DATA")
                                .flush();
                        c.expect(250);
                        c.expect(250);
                        c.expect(354);
                        c.sendRaw(message(client, m) + ".\r\n");
                        c.expect(250);
                        accepted.incrementAndGet();
                    }
                    c.expect("QUIT", 221);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("client " + client + " failed", e);
        }
    }

    private static String message(int client, int m) {
        return "Message-ID: <c" + client + "-m" + m + "@load.test>\r\n"
                + "From: c" + client + "@load.test\r\n"
                + "To: rcpt" + (m % 3) + "@load.test\r\n"
                + "Subject: load test, client " + client + ", message " + m + "\r\n"
                + "\r\n"
                + "..a line that starts with a dot (stuffed on the wire)\r\n"
                + body(client, m);
    }

    /** The end of each message as stored: unique, so a mix-up between messages shows. */
    private static String body(int client, int m) {
        return ("client " + client + " message " + m + " ").repeat(20) + "\r\n"
                + "x".repeat(m % 100) + "\r\n";
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
