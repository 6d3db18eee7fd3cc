package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S354_DATA;
import static io.smtpd.conformance.Fixtures.S500_STRICT_ASCII;
import static io.smtpd.conformance.Fixtures.S553_MALFORMED;
import static io.smtpd.conformance.Fixtures.ehloed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smtpd.api.Handler;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;

/**
 * Non-ASCII on the command line: refused in strict ASCII mode (aiosmtpd without SMTPUTF8), accepted as UTF-8 with
 * SMTPUTF8 (RFC 6531). Invalid UTF-8 and NUL, CR or LF in an address are refused (CLI.md).
 */
class SmtpUtf8AndStrictAsciiTest {

    @Test
    void nonAsciiArgumentIsRefusedWithoutSmtpUtf8() throws Exception {
        // aiosmtpd TestStrictASCII.test_bad_encoded_param
        try (SmtpServer s = Fixtures.start(new Handler() { }); RawClient c = ehloed(s)) {
            c.sendBytes(Fixtures.latin1("MAIL FROM: <anne\u00ff@example.com>\r\n"));
            assertEquals(S500_STRICT_ASCII, c.reply());
            c.sendBytes("MAIL FROM: <anne\u00cb@example.com>\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(S500_STRICT_ASCII, c.reply());
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com>"), "the session goes on");
        }
    }

    @Test
    void utf8AddressesAreAcceptedAndDeliveredWithSmtpUtf8() throws Exception {
        // aiosmtpd test_mail_with_compatible_smtputf8
        RecordingHandler handler = new RecordingHandler();
        String sender = "anne\u00cb@example.com";
        String recipient = "bart\u00cb@ex\u00e4mple.com";
        try (SmtpServer s = Fixtures.start(handler, b -> b.smtpUtf8(true)); RawClient c = ehloed(s)) {
            c.sendBytes(("MAIL FROM: <" + sender + "> SMTPUTF8\r\n").getBytes(StandardCharsets.UTF_8));
            assertEquals(S250_OK, c.reply());
            c.sendBytes(("RCPT TO: <" + recipient + ">\r\n").getBytes(StandardCharsets.UTF_8));
            assertEquals(S250_OK, c.reply());
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, ""));
            RecordingHandler.Message m = Fixtures.onlyMessage(handler);
            assertEquals(sender, m.mailFrom());
            assertEquals(List.of(recipient), m.rcptTos());
            assertEquals(List.of("SMTPUTF8"), m.mailOptions());
        }
    }

    @Test
    void smtpUtf8ParameterMarksTheEnvelope() throws Exception {
        // aiosmtpd: envelope.smtp_utf8 = True after MAIL FROM:<...> SMTPUTF8
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler, b -> b.smtpUtf8(true)); RawClient c = ehloed(s)) {
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com> SMTPUTF8"));
            assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, "x\r\n"));
            assertTrue(Fixtures.onlyMessage(handler).smtpUtf8());
        }
        RecordingHandler plain = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(plain, b -> b.smtpUtf8(true)); RawClient c = ehloed(s)) {
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, "x\r\n"));
            assertTrue(!Fixtures.onlyMessage(plain).smtpUtf8());
        }
    }

    @Test
    void utf8AddressWithoutTheSmtpUtf8ParameterIsAccepted() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.smtpUtf8(true)); RawClient c = ehloed(s)) {
            c.sendBytes("MAIL FROM: <j\u00f6rg@example.com>\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(S250_OK, c.reply());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAIL FROM: <anne\u00ff@example.com>", "MAIL FROM: <anne@ex\u00c3ample.com> SMTPUTF8",
        "MAIL FROM: <\u00e9\u00e9@example.com>"})
    void invalidUtf8AddressIsRefusedWith553(String latin1Line) throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.smtpUtf8(true)); RawClient c = ehloed(s)) {
            c.sendBytes(Fixtures.latin1(latin1Line + "\r\n"));
            assertEquals(S553_MALFORMED, c.reply());
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com>"));
            c.sendBytes(Fixtures.latin1("RCPT TO: <bart\u00ff@example.com>\r\n"));
            assertEquals(S553_MALFORMED, c.reply());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"<an\u0000ne@example.com>", "<anne@exa\u0000mple.com>", "<an\rne@example.com>",
        "<\"an\rne\"@example.com>", "<anne@[192.0.2.\u00001]>", "<anne\u0000>"})
    void controlCharacterInAnAddressIsRefused(String address) throws Exception {
        RecordingHandler handler = new RecordingHandler();
        for (boolean utf8 : new boolean[] {false, true}) {
            try (SmtpServer s = Fixtures.start(handler, b -> b.smtpUtf8(utf8)); RawClient c = ehloed(s)) {
                String mail = c.command("MAIL FROM:" + address);
                assertTrue(mail.startsWith("501 ") || mail.startsWith("553 "), mail);
                assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
                String rcpt = c.command("RCPT TO:" + address);
                assertTrue(rcpt.startsWith("501 ") || rcpt.startsWith("553 "), rcpt);
                assertEquals("503 Error: need RCPT command", c.command("DATA"));
            }
        }
    }

    @Test
    void nonAsciiVerbIsABadSyntaxEvenWithSmtpUtf8() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.smtpUtf8(true)); RawClient c = ehloed(s)) {
            c.sendBytes("N\u00d6OP\r\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(Fixtures.S500_BAD_SYNTAX, c.reply());
        }
    }
}
