package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S354_DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;

/** Sessions at once keep their own state: each transaction delivers exactly its own envelope and content. */
class ConcurrentSessionsTest {

    @Test
    void interleavedSessionsDoNotShareState() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler);
             RawClient a = Fixtures.ehloed(s);
             RawClient b = Fixtures.greeted(s)) {
            assertEquals(S250_OK, a.command("MAIL FROM:<a@example.com>"));
            assertEquals("503 Error: send HELO first", b.command("MAIL FROM:<b@example.com>"));
            try (RawClient third = Fixtures.heloed(s)) {
                assertEquals("503 Error: need MAIL command", third.command("RCPT TO:<x@example.com>"));
            }
            assertEquals(S250_OK, a.command("RCPT TO:<x@example.com>"));
            assertEquals(S354_DATA, a.command("DATA"));
            b.command("HELO b.example");
            assertEquals(S250_OK, b.command("MAIL FROM:<b@example.com>"), "not nested: a's MAIL is a's");
            assertEquals(S250_OK, Fixtures.sendMessage(a, "from a\r\n"));
            assertEquals("a@example.com", Fixtures.onlyMessage(handler).mailFrom());
        }
    }

    @Test
    void manyClientsAtOnceEachDeliverTheirOwnMessages() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        int clients = 16;
        int messages = 5;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (SmtpServer s = Fixtures.start(handler)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                done.add(pool.submit(() -> {
                    try (RawClient c = Fixtures.ehloed(s)) {
                        for (int m = 0; m < messages; m++) {
                            c.sendRaw("MAIL FROM:<c" + client + "@example.com>\r\nRCPT TO:<m" + m + "@example.com>\r\n"
                                    + "DATA\r\n");
                            assertEquals(S250_OK, c.reply());
                            assertEquals(S250_OK, c.reply());
                            assertEquals(S354_DATA, c.reply());
                            assertEquals(S250_OK, Fixtures.sendMessage(c, "client " + client + " message " + m
                                    + "\r\n" + "..x\r\n".repeat(client * 10)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(clients * messages, handler.messages().size());
        Map<String, String> seen = new TreeMap<>();
        for (RecordingHandler.Message m : handler.messages()) {
            int client = Integer.parseInt(m.mailFrom().substring(1, m.mailFrom().indexOf('@')));
            String rcpt = m.rcptTos().get(0);
            int message = Integer.parseInt(rcpt.substring(1, rcpt.indexOf('@')));
            assertEquals("client " + client + " message " + message + "\r\n" + ".x\r\n".repeat(client * 10), m.text());
            assertEquals(null, seen.put(m.mailFrom() + rcpt, m.text()), "delivered once");
        }
    }
}
