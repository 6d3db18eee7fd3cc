package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S500_CMD_TOO_LONG;
import static io.smtpd.conformance.Fixtures.ehloed;
import static io.smtpd.conformance.Fixtures.greeted;
import static io.smtpd.conformance.Fixtures.heloed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Handler;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;

/**
 * The command line limit: 512 octets without CRLF, as aiosmtpd; after EHLO, MAIL gets 26 more with SIZE and 10 more
 * with SMTPUTF8 (RFC 1870, RFC 6531). Longer lines get {@code 500 Command line too long} and the session goes on.
 */
class CommandLineLimitTest {

    /** {@code MAIL FROM:<aaa@example.com>} padded with local-part letters to exactly {@code length} octets. */
    private static String mailLine(int length) {
        String prefix = "MAIL FROM:<";
        String suffix = "@example.com>";
        return prefix + "a".repeat(length - prefix.length() - suffix.length()) + suffix;
    }

    @Test
    void lineOf512OctetsIsExecutedAndOf513IsTooLong() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            assertEquals(S250_OK, c.command("NOOP " + "x".repeat(507)));
            assertEquals(S500_CMD_TOO_LONG, c.command("NOOP " + "x".repeat(508)));
            assertEquals(S500_CMD_TOO_LONG, c.command("a".repeat(513)), "too long, not unknown");
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }

    @Test
    void lineEndIsNotCounted() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            c.sendRaw("NOOP " + "x".repeat(507) + "\n");
            assertEquals(S250_OK, c.reply());
        }
    }

    @Test
    void megabyteLineWithoutLineEndIsDrainedAndTheSessionGoesOn() throws Exception {
        // aiosmtpd test_way_too_long_command
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            c.sendBytes("a".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII));
            assertEquals(S500_CMD_TOO_LONG, c.command("a".repeat(1001)));
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }

    @Test
    void hundredKilobyteLineThenLineEndIsOneTooLongReply() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            byte[] piece = "MAIL FROM:<x@y> ".repeat(640).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 10; i++) {
                c.sendBytes(piece);
            }
            c.sendRaw("\n");
            assertEquals(S500_CMD_TOO_LONG, c.reply());
            c.sendRaw("NOOP\r\nHELO client.example\r\n");
            assertEquals(S250_OK, c.reply());
            assertEquals("250 " + Fixtures.HOST, c.reply());
        }
    }

    @Test
    void afterEhloMailMayBe26OctetsLongerWithSize() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = ehloed(s)) {
            assertEquals(S250_OK, c.command(mailLine(538)));
            assertEquals(S250_OK, c.command("RSET"));
            assertEquals(S500_CMD_TOO_LONG, c.command(mailLine(539)));
            assertEquals(S500_CMD_TOO_LONG, c.command("RCPT TO:<" + "a".repeat(491) + "@example.com>"),
                    "only MAIL gets more");
        }
    }

    @Test
    void afterEhloMailMayBe36OctetsLongerWithSizeAndSmtpUtf8() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.smtpUtf8(true)); RawClient c = ehloed(s)) {
            assertEquals(S250_OK, c.command(mailLine(548)));
            assertEquals(S250_OK, c.command("RSET"));
            assertEquals(S500_CMD_TOO_LONG, c.command(mailLine(549)));
        }
    }

    @Test
    void afterEhloMailMayBe10OctetsLongerWithSmtpUtf8AndNoSizeLimit() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.smtpUtf8(true).dataSizeLimit(0));
             RawClient c = ehloed(s)) {
            assertEquals(S250_OK, c.command(mailLine(522)));
            assertEquals(S250_OK, c.command("RSET"));
            assertEquals(S500_CMD_TOO_LONG, c.command(mailLine(523)));
        }
    }

    @Test
    void afterHeloMailHasThePlainLimit() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = heloed(s)) {
            assertEquals(S250_OK, c.command(mailLine(512)));
            assertEquals(S250_OK, c.command("RSET"));
            assertEquals(S500_CMD_TOO_LONG, c.command(mailLine(513)));
        }
    }

    @Test
    void limitCountsOctetsNotCharacters() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.smtpUtf8(true)); RawClient c = greeted(s)) {
            assertEquals(S250_OK, c.command("NOOP " + "\u00e9".repeat(253) + "x"), "5 + 506 + 1 octets");
            assertEquals(S500_CMD_TOO_LONG, c.command("NOOP " + "\u00e9".repeat(254)), "5 + 508 octets");
        }
    }

    @Test
    void tooLongLinesCountAsErrorsNotAsUnknownCommands() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = greeted(s)) {
            for (int i = 0; i < 6; i++) {
                assertEquals(S500_CMD_TOO_LONG, c.command("BOGUS" + "x".repeat(600)));
            }
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }
}
