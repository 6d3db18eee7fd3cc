package io.smtpd.esmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.smtpd.api.Handler;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;

/** Helpers for the extension tests. */
final class Esmtp {
    static final String HOST = TestServers.HOSTNAME;

    private Esmtp() {
    }

    static SmtpServer start(Handler handler, ServerSettings.Builder settings) {
        return TestServers.start(handler, settings);
    }

    static RawClient greeted(SmtpServer server) throws IOException {
        RawClient c = new RawClient(server.localAddress());
        String greeting = c.reply();
        assertTrue(greeting.startsWith("220 " + HOST + " "), greeting);
        return c;
    }

    /** Greeted and past EHLO; returns the client. */
    static RawClient ehloed(SmtpServer server) throws IOException {
        RawClient c = greeted(server);
        String reply = c.command("EHLO client.example");
        assertTrue(reply.startsWith("250-" + HOST + "\r\n"), reply);
        return c;
    }

    /** The keywords of an EHLO reply (without the host name line). */
    static List<String> keywords(String ehlo) {
        List<String> out = new ArrayList<>();
        String[] lines = ehlo.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            out.add(lines[i].substring(4));
        }
        return out;
    }

    static List<String> replies(RawClient c, int n) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(c.reply());
        }
        return out;
    }

    /** The replies left before the server closes the connection. */
    static List<String> repliesUntilClosed(RawClient c) throws IOException {
        List<String> replies = new ArrayList<>();
        c.timeout(5000);
        while (true) {
            try {
                replies.add(c.reply());
            } catch (SocketTimeoutException e) {
                throw new AssertionError("not closed; replies so far: " + replies);
            } catch (IOException closed) {
                return replies;
            }
        }
    }

    static void assertReply(String expected, String actual) {
        assertEquals(expected, actual);
    }

    static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
