package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S500_BAD_SYNTAX;
import static io.smtpd.conformance.Fixtures.S502_TOO_MANY_UNRECOG;
import static io.smtpd.conformance.Fixtures.greeted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Handler;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;

/** Unknown verbs, empty lines and binary verbs, and aiosmtpd's budget of five unrecognised commands. */
class UnknownCommandTest {

    private static String unrecognized(String verb) {
        return "500 Error: command \"" + verb + "\" not recognized";
    }

    @Test
    void unknownVerbIsRejectedWith500NamingIt() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            assertEquals(unrecognized("FOOBAR"), c.command("FOOBAR"));
            assertEquals(unrecognized("XYZZY"), c.command("xyzzy with an argument"));
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }

    @Test
    void fifthUnrecognizedCommandEndsTheSession() throws Exception {
        // aiosmtpd TestLimits.test_limit_bogus
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            for (int i = 0; i < 4; i++) {
                assertEquals(unrecognized("BOGUS" + i), c.command("BOGUS" + i));
                assertEquals(S250_OK, c.command("NOOP"), "known commands do not restore the budget");
            }
            c.send("LASTBOGUS");
            Fixtures.assertRepliesThenClosed(c, S502_TOO_MANY_UNRECOG);
        }
    }

    @Test
    void pipelinedUnknownCommandsStopAtTheFifth() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            c.sendRaw("A\r\nB\r\nC\r\nD\r\nE\r\nNOOP\r\n");
            Fixtures.assertRepliesThenClosed(c, unrecognized("A"), unrecognized("B"), unrecognized("C"),
                    unrecognized("D"), S502_TOO_MANY_UNRECOG);
        }
    }

    @Test
    void emptyLineIsABadSyntaxNotAnUnknownCommand() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            for (int i = 0; i < 6; i++) {
                assertEquals(S500_BAD_SYNTAX, c.command(""));
            }
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }

    @Test
    void nonAsciiVerbIsABadSyntax() throws Exception {
        // aiosmtpd test_binary
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            c.sendBytes(Fixtures.latin1("\u0080FAIL\r\n"));
            assertEquals(S500_BAD_SYNTAX, c.reply());
            c.sendBytes(Fixtures.latin1("\u0080 FAIL\r\n"));
            assertEquals(S500_BAD_SYNTAX, c.reply());
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }

    @Test
    void lineOfSpacesIsAnUnknownEmptyVerb() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            assertEquals(unrecognized(""), c.command("   "));
        }
    }

    @Test
    void proxyHeaderWithoutProxyProtocolIsAnUnknownCommand() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            assertEquals(unrecognized("PROXY"), c.command("PROXY TCP4 192.0.2.1 192.0.2.2 1234 25"));
        }
    }
}
