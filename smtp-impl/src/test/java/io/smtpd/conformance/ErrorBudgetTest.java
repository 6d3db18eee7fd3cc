package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S500_BAD_SYNTAX;
import static io.smtpd.conformance.Fixtures.S503_MAIL_NEEDED;
import static io.smtpd.conformance.Fixtures.ehloed;
import static io.smtpd.conformance.Fixtures.greeted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Handler;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;

/**
 * The syntax error budget (CLI.md): after 20 commands answered 500, 501, 553 or 555 the server sends
 * {@code 421 4.7.0 Too many errors} and closes. Replies to well-formed commands (503, 452) do not count, and
 * unknown commands have their own budget.
 */
class ErrorBudgetTest {
    private static final String S421_TOO_MANY_ERRORS = "421 4.7.0 Too many errors";

    @Test
    void twentiethSyntaxErrorIsFollowedBy421AndClose() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            for (int i = 1; i < 20; i++) {
                assertEquals(S500_BAD_SYNTAX, c.command(""), "error " + i);
            }
            assertEquals(S250_OK, c.command("NOOP"), "19 errors are tolerated");
            c.send("");
            Fixtures.assertRepliesThenClosed(c, S500_BAD_SYNTAX, S421_TOO_MANY_ERRORS);
        }
    }

    @Test
    void everySyntaxErrorCodeCounts() throws Exception {
        List<String> errors = List.of(
                "",                                         // 500 bad syntax
                "NOOP " + "x".repeat(600),                  // 500 too long
                "HELO",                                     // 501
                "MAIL FROM:<@example.com>",                 // 553
                "MAIL FROM:<anne@example.com> FOO=BAR");    // 555
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = ehloed(s)) {
            for (int i = 0; i < 19; i++) {
                String reply = c.command(errors.get(i % errors.size()));
                assertEquals(true, reply.matches("(500|501|553|555) .*"), reply);
            }
            c.send("HELO");
            Fixtures.assertRepliesThenClosed(c, "501 Syntax: HELO hostname", S421_TOO_MANY_ERRORS);
        }
    }

    @Test
    void sequenceErrorsAndUnknownCommandsDoNotUseTheBudget() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = ehloed(s)) {
            for (int i = 0; i < 30; i++) {
                assertEquals(S503_MAIL_NEEDED, c.command("RCPT TO:<anne@example.com>"));
            }
            for (int i = 0; i < 4; i++) {
                assertEquals("500 Error: command \"BOGUS\" not recognized", c.command("BOGUS"));
            }
            for (int i = 0; i < 19; i++) {
                assertEquals(S500_BAD_SYNTAX, c.command(""));
            }
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }

    @Test
    void budgetIsPerSession() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { })) {
            try (RawClient first = greeted(s)) {
                for (int i = 0; i < 19; i++) {
                    assertEquals(S500_BAD_SYNTAX, first.command(""));
                }
            }
            try (RawClient second = greeted(s)) {
                for (int i = 0; i < 19; i++) {
                    assertEquals(S500_BAD_SYNTAX, second.command(""));
                }
                assertEquals(S250_OK, second.command("NOOP"));
            }
        }
    }

    @Test
    void pipelinedErrorsAfterTheBudgetAreNotAnswered() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            c.sendRaw("\r\n".repeat(25) + "NOOP\r\n");
            List<String> replies = Fixtures.repliesUntilClosed(c);
            assertEquals(21, replies.size(), replies.toString());
            assertEquals(S421_TOO_MANY_ERRORS, replies.get(20));
        }
    }
}
