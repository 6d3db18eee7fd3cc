package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.greeted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Handler;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;

/**
 * The connection cap (CLI.md {@code --max-connections}): sessions are counted from accept to close, and one more
 * gets {@code 421 4.7.0 Too many connections} at once and is closed.
 */
class MaxConnectionsTest {
    private static final String S421_TOO_MANY_CONNECTIONS = "421 4.7.0 Too many connections";

    @Test
    void connectionOverTheCapGets421AndIsClosed() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.maxConnections(2));
             RawClient first = greeted(s);
             RawClient second = greeted(s);
             RawClient third = Fixtures.connect(s)) {
            Fixtures.assertRepliesThenClosed(third, S421_TOO_MANY_CONNECTIONS);
            assertEquals(S250_OK, first.command("NOOP"), "the sessions within the cap go on");
            assertEquals(S250_OK, second.command("NOOP"));
        }
    }

    @Test
    void clientThatTalksFirstStillGets421() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.maxConnections(1));
             RawClient first = greeted(s);
             RawClient second = Fixtures.connect(s)) {
            second.sendRaw("EHLO client.example\r\nNOOP\r\n");
            Fixtures.assertRepliesThenClosed(second, S421_TOO_MANY_CONNECTIONS);
            assertEquals(S250_OK, first.command("NOOP"));
        }
    }

    @Test
    void closedSessionFreesItsPlace() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.maxConnections(1))) {
            try (RawClient first = greeted(s)) {
                first.send("QUIT");
                Fixtures.assertRepliesThenClosed(first, Fixtures.S221_BYE);
            }
            Fixtures.awaitNoSessions(s);
            try (RawClient second = greeted(s)) {
                assertEquals(S250_OK, second.command("NOOP"));
            }
            Fixtures.awaitNoSessions(s);
            try (RawClient third = greeted(s)) {
                assertEquals(S250_OK, third.command("NOOP"), "a client that just disconnects frees it as well");
            }
        }
    }

    @Test
    void refusedConnectionsDoNotTakeAPlace() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.maxConnections(1));
             RawClient first = greeted(s)) {
            for (int i = 0; i < 5; i++) {
                try (RawClient refused = Fixtures.connect(s)) {
                    Fixtures.assertRepliesThenClosed(refused, S421_TOO_MANY_CONNECTIONS);
                }
            }
            Fixtures.await(() -> s.openSessions() == 1, "refused connections to be closed");
            first.send("QUIT");
            Fixtures.assertRepliesThenClosed(first, Fixtures.S221_BYE);
            Fixtures.awaitNoSessions(s);
            try (RawClient next = greeted(s)) {
                assertEquals(S250_OK, next.command("NOOP"));
            }
        }
    }
}
