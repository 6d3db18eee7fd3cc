package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S221_BYE;
import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.greeted;
import static io.smtpd.conformance.Fixtures.inTransaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;

/** QUIT (RFC 5321 4.1.1.10): 221, then the server closes the connection. */
class QuitCommandTest {
    @Test
    void quitAnswers221AndCloses() throws Exception {
        try (SmtpServer s = Fixtures.start(new RecordingHandler()); RawClient c = greeted(s)) {
            c.send("QUIT");
            Fixtures.assertRepliesThenClosed(c, S221_BYE);
        }
    }

    @Test
    void quitWithAnArgumentIsRejectedWith501AndTheSessionGoesOn() throws Exception {
        try (SmtpServer s = Fixtures.start(new RecordingHandler()); RawClient c = greeted(s)) {
            assertEquals("501 Syntax: QUIT", c.command("QUIT oops"));
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }

    @Test
    void quitInATransactionDeliversNothing() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inTransaction(s)) {
            c.send("QUIT");
            Fixtures.assertRepliesThenClosed(c, S221_BYE);
            Fixtures.awaitNoSessions(s);
            assertTrue(handler.messages().isEmpty());
        }
    }

    @Test
    void commandsPipelinedAfterQuitAreNotAnswered() throws Exception {
        try (SmtpServer s = Fixtures.start(new RecordingHandler()); RawClient c = greeted(s)) {
            c.sendRaw("NOOP\r\nQUIT\r\nNOOP\r\nHELO x\r\n");
            Fixtures.assertRepliesThenClosed(c, S250_OK, S221_BYE);
        }
    }
}
