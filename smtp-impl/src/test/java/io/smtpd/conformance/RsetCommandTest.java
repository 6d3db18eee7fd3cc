package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S354_DATA;
import static io.smtpd.conformance.Fixtures.S503_MAIL_NEEDED;
import static io.smtpd.conformance.Fixtures.S503_RCPT_NEEDED;
import static io.smtpd.conformance.Fixtures.greeted;
import static io.smtpd.conformance.Fixtures.inTransaction;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smtpd.api.Handler;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;

/** RSET (RFC 5321 4.1.1.5): a fresh transaction, the greeting kept. */
class RsetCommandTest {
    private static SmtpServer server;

    @BeforeAll
    static void startServer() {
        server = Fixtures.start(new Handler() { });
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void rsetAnswers250() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals(S250_OK, c.command("RSET"));
        }
    }

    @Test
    void rsetWithAnArgumentIsRejectedWith501() throws Exception {
        try (RawClient c = inTransaction(server)) {
            assertEquals("501 Syntax: RSET", c.command("RSET FOO"));
            assertEquals(S354_DATA, c.command("DATA"), "the transaction is kept");
        }
    }

    @Test
    void rsetEndsTheTransactionButKeepsTheGreeting() throws Exception {
        try (RawClient c = inTransaction(server)) {
            assertEquals(S250_OK, c.command("RSET"));
            assertEquals(S503_RCPT_NEEDED, c.command("DATA"));
            assertEquals(S503_MAIL_NEEDED, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S250_OK, c.command("MAIL FROM:<dave@example.com>"), "no HELO needed again, not nested");
        }
    }

    @Test
    void messageAfterRsetHasOnlyTheNewEnvelope() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inTransaction(s)) {
            assertEquals(S250_OK, c.command("RSET"));
            assertEquals(S250_OK, c.command("MAIL FROM:<dave@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO:<elle@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, "x\r\n"));
            RecordingHandler.Message m = Fixtures.onlyMessage(handler);
            assertEquals("dave@example.com", m.mailFrom());
            assertEquals(java.util.List.of("elle@example.com"), m.rcptTos());
        }
    }
}
