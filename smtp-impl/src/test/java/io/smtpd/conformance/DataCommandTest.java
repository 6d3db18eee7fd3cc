package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S221_BYE;
import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S354_DATA;
import static io.smtpd.conformance.Fixtures.S500_DATALINE_TOO_LONG;
import static io.smtpd.conformance.Fixtures.S503_HELO_FIRST;
import static io.smtpd.conformance.Fixtures.S503_MAIL_NEEDED;
import static io.smtpd.conformance.Fixtures.S503_RCPT_NEEDED;
import static io.smtpd.conformance.Fixtures.S552_TOO_MUCH;
import static io.smtpd.conformance.Fixtures.assertStoredAsSentOrNormalized;
import static io.smtpd.conformance.Fixtures.greeted;
import static io.smtpd.conformance.Fixtures.heloed;
import static io.smtpd.conformance.Fixtures.inData;
import static io.smtpd.conformance.Fixtures.inTransaction;
import static io.smtpd.conformance.Fixtures.onlyMessage;
import static io.smtpd.conformance.Fixtures.sendMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;

/**
 * DATA (RFC 5321 4.1.1.4, 4.5.2): the 354, dot-unstuffing, {@code CRLF.CRLF} as the only terminator, the size and
 * line limits answered after the terminator, and decode_data, as aiosmtpd 1.4 and CLI.md say.
 */
class DataCommandTest {
    private final RecordingHandler handler = new RecordingHandler();

    @Test
    void dataWithoutRecipientIsRejectedWith503() throws Exception {
        try (SmtpServer s = Fixtures.start(handler); RawClient c = heloed(s)) {
            assertEquals(S503_RCPT_NEEDED, c.command("DATA"));
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            assertEquals(S503_RCPT_NEEDED, c.command("DATA"));
        }
    }

    @Test
    void dataBeforeHeloIsRejectedWith503() throws Exception {
        try (SmtpServer s = Fixtures.start(handler); RawClient c = greeted(s)) {
            assertEquals(S503_HELO_FIRST, c.command("DATA"));
        }
    }

    @Test
    void dataWithAnArgumentIsRejectedWith501() throws Exception {
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inTransaction(s)) {
            assertEquals("501 Syntax: DATA", c.command("DATA FOOBAR"));
            assertEquals(S354_DATA, c.command("DATA"), "the transaction is still there");
        }
    }

    @Test
    void messageIsDeliveredWithDotsUnstuffedAndItsLastLineEnd() throws Exception {
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inData(s)) {
            assertEquals(S250_OK, sendMessage(c, "Subject: hi\r\n\r\n..dot\r\n...\r\n..\r\nbody.\r\n"));
            RecordingHandler.Message m = onlyMessage(handler);
            assertEquals("Subject: hi\r\n\r\n.dot\r\n..\r\n.\r\nbody.\r\n", m.text());
            assertEquals("anne@example.com", m.mailFrom());
        }
    }

    @Test
    void emptyMessageIsDelivered() throws Exception {
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inData(s)) {
            assertEquals(S250_OK, c.command("."));
            assertEquals("", onlyMessage(handler).text());
        }
    }

    @Test
    void eightBitContentIsDeliveredByteForByte() throws Exception {
        byte[] content = {'a', (byte) 0xff, (byte) 0x80, 0, 'b', '\r', '\n'};
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inData(s)) {
            c.sendBytes(content).sendRaw(".\r\n");
            assertEquals(S250_OK, c.reply());
            assertArrayEquals(content, onlyMessage(handler).content());
        }
    }

    @Test
    void bareCrAndLfInContentAreKeptAsContent() throws Exception {
        // aiosmtpd TestProtocol.test_honors_mail_delimiters
        String data = "test\r\nmail\rdelimiters\nsaved\r\n";
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inData(s)) {
            assertEquals(S250_OK, sendMessage(c, data));
            assertStoredAsSentOrNormalized(data, onlyMessage(handler).text());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r\n.\r", "\r.\r\n", "\n.\r"})
    void fakeTerminatorNeitherEndsNorSplitsTheMessage(String fake) throws Exception {
        // SMTP smuggling (CVE-2023-51764): commands after a fake end of data must stay message content
        String data = "Subject: smuggling\r\n\r\nTesting" + fake
                + "MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nNO SMUGGLING\r\n";
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inData(s)) {
            c.sendRaw(data + ".\r\nQUIT\r\n");
            assertEquals(S250_OK, c.reply());
            assertEquals(S221_BYE, c.reply(), "exactly one reply for the message");
            RecordingHandler.Message m = onlyMessage(handler);
            assertEquals("anne@example.com", m.mailFrom());
            assertTrue(m.text().contains("NO SMUGGLING") && m.text().contains("MAIL FROM:<evil@example.com>"));
        }
    }

    @Test
    void aiosmtpdSmugglingCaseIsOneMessage() throws Exception {
        // aiosmtpd test_smtpsmuggling.py
        String data = "From: Anne Person <anne@example.com>\r\nTo: Bart Person <bart@example.com>\r\n"
                + "Subject: A test\r\nMessage-ID: <ant>\r\n\r\nTesting\n.\r\nNO SMUGGLING\n\r\n";
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inData(s)) {
            assertEquals(S250_OK, sendMessage(c, data));
            String stored = onlyMessage(handler).text();
            assertTrue(stored.contains("NO SMUGGLING"), stored);
            assertStoredAsSentOrNormalized(data, stored);
        }
    }

    @Test
    void contentOverTheSizeLimitIsAnsweredWith552OnlyAfterTheTerminator() throws Exception {
        // aiosmtpd test_too_long_body_delay_error
        try (SmtpServer s = Fixtures.start(handler, b -> b.dataSizeLimit(20)); RawClient c = inData(s)) {
            c.sendRaw("a".repeat(23));
            assertNoReplyWithin(c, 300);
            c.sendRaw("\r\n.\r\n");
            assertEquals(S552_TOO_MUCH, c.reply());
            assertEquals(S503_MAIL_NEEDED, c.command("RCPT TO:<bart@example.com>"), "the transaction ended");
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"), "the session goes on");
            assertTrue(handler.messages().isEmpty());
        }
    }

    @Test
    void contentAtTheSizeLimitIsAcceptedAndOneOctetMoreIsNot() throws Exception {
        // the limit counts octets after unstuffing, line ends included
        String hundred = "z".repeat(48) + "\r\n" + ".." + "z".repeat(47) + "\r\n"; // 50 + 50 octets once unstuffed
        try (SmtpServer s = Fixtures.start(handler, b -> b.dataSizeLimit(100)); RawClient c = inData(s)) {
            assertEquals(S250_OK, sendMessage(c, hundred));
            assertEquals(100, onlyMessage(handler).content().length);
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S552_TOO_MUCH, sendMessage(c, "z" + hundred));
        }
    }

    @Test
    void tooLongMessageBodyIsRejectedWith552() throws Exception {
        // aiosmtpd test_too_long_message_body
        try (SmtpServer s = Fixtures.start(handler, b -> b.dataSizeLimit(100)); RawClient c = inData(s)) {
            assertEquals(S552_TOO_MUCH, sendMessage(c, String.join("\r\n", java.util.Collections.nCopies(10,
                    "z".repeat(20))) + "\r\n"));
        }
    }

    @Test
    void megabytesOverTheLimitAreDiscardedWhileStreamingAndTheSessionGoesOn() throws Exception {
        try (SmtpServer s = Fixtures.start(handler, b -> b.dataSizeLimit(1000)); RawClient c = inData(s)) {
            byte[] chunk = ("z".repeat(78) + "\r\n").repeat(1000).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 100; i++) { // 8 MB
                c.sendBytes(chunk);
            }
            c.sendRaw(".\r\n");
            assertEquals(S552_TOO_MUCH, c.reply());
            assertEquals("250 OK", c.command("NOOP"));
            assertTrue(handler.messages().isEmpty());
        }
    }

    @Test
    void lineOf998OctetsIsAcceptedAndOf999IsTooLong() throws Exception {
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inData(s)) {
            assertEquals(S250_OK, sendMessage(c, "z".repeat(998) + "\r\n"));
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S500_DATALINE_TOO_LONG, sendMessage(c, "z".repeat(999) + "\r\n"));
            assertEquals(1, handler.messages().size());
        }
    }

    @Test
    void tooLongLineIsAnsweredWith500OnlyAfterTheTerminator() throws Exception {
        // aiosmtpd test_too_long_line_delay_error and test_data_line_too_long
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inData(s)) {
            c.sendRaw("a".repeat(1004));
            assertNoReplyWithin(c, 300);
            c.sendRaw(("\r\n" + "a".repeat(5555)).repeat(3) + "\r\n.\r\n");
            assertEquals(S500_DATALINE_TOO_LONG, c.reply());
            assertEquals(S503_MAIL_NEEDED, c.command("RCPT TO:<bart@example.com>"), "the transaction ended");
            assertEquals(S250_OK, c.command("NOOP"));
            assertTrue(handler.messages().isEmpty());
        }
    }

    @Test
    void longLineAfterTooMuchDataIsStill552() throws Exception {
        // aiosmtpd test_too_long_body_then_too_long_lines
        String mail = String.join("\r\n", java.util.Collections.nCopies(10, "z".repeat(76))) + "\r\n"
                + ("a".repeat(1100) + "\r\n").repeat(2);
        try (SmtpServer s = Fixtures.start(handler, b -> b.dataSizeLimit(700)); RawClient c = inData(s)) {
            assertEquals(S552_TOO_MUCH, sendMessage(c, mail));
        }
    }

    @Test
    void tooMuchDataAfterALongLineIsStill500() throws Exception {
        // aiosmtpd test_too_long_lines_then_too_long_body
        try (SmtpServer s = Fixtures.start(handler, b -> b.dataSizeLimit(2000)); RawClient c = inData(s)) {
            assertEquals(S500_DATALINE_TOO_LONG, sendMessage(c, ("z".repeat(1999) + "\r\n").repeat(2)));
        }
    }

    @Test
    void transactionEndsAfterTheMessage() throws Exception {
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inData(s)) {
            assertEquals(S250_OK, sendMessage(c, "one\r\n"));
            assertEquals(S503_MAIL_NEEDED, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S503_RCPT_NEEDED, c.command("DATA"));
            assertEquals(S250_OK, c.command("MAIL FROM:<cate@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO:<dave@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, sendMessage(c, "two\r\n"));
            assertEquals(2, handler.messages().size());
            assertEquals("cate@example.com", handler.messages().get(1).mailFrom());
            assertEquals("two\r\n", handler.messages().get(1).text());
        }
    }

    @Test
    void withoutDecodeDataTheHandlerGetsBytesOnly() throws Exception {
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inData(s)) {
            assertEquals(S250_OK, sendMessage(c, "plain\r\n"));
            assertNull(onlyMessage(handler).decoded());
        }
    }

    @Test
    void decodeDataGivesTheHandlerText() throws Exception {
        try (SmtpServer s = Fixtures.start(handler, b -> b.decodeData(true)); RawClient c = inData(s)) {
            assertEquals(S250_OK, sendMessage(c, "Subject: decoded\r\n\r\n..text\r\n"));
            RecordingHandler.Message m = onlyMessage(handler);
            assertEquals("Subject: decoded\r\n\r\n.text\r\n", m.decoded());
            assertEquals("Subject: decoded\r\n\r\n.text\r\n", m.text());
        }
    }

    @Test
    void decodeDataRefusesNonAsciiContentWithoutSmtpUtf8() throws Exception {
        // aiosmtpd TestStrictASCII.test_data
        try (SmtpServer s = Fixtures.start(handler, b -> b.decodeData(true)); RawClient c = inData(s)) {
            c.sendBytes(Fixtures.latin1("Subject: A test\r\n\r\nTesting\u00ff\r\n.\r\n"));
            assertEquals("500 Error: strict ASCII mode", c.reply());
            assertEquals(S250_OK, c.command("NOOP"), "the session goes on");
            assertTrue(handler.messages().isEmpty());
        }
    }

    @Test
    void decodeDataWithSmtpUtf8DecodesUtf8() throws Exception {
        try (SmtpServer s = Fixtures.start(handler, b -> b.decodeData(true).smtpUtf8(true));
             RawClient c = inData(s)) {
            assertEquals(S250_OK, sendMessage(c, "Subject: h\u00e9llo \u2603\r\n"));
            assertEquals("Subject: h\u00e9llo \u2603\r\n", onlyMessage(handler).decoded());
        }
    }

    @Test
    void contentLineThatLooksLikeACommandIsContent() throws Exception {
        try (SmtpServer s = Fixtures.start(handler); RawClient c = inData(s)) {
            assertEquals(S250_OK, sendMessage(c, "QUIT\r\nRSET\r\n"));
            assertEquals("QUIT\r\nRSET\r\n", onlyMessage(handler).text());
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }

    private static void assertNoReplyWithin(RawClient c, int millis) throws Exception {
        c.timeout(millis);
        try {
            assertThrows(SocketTimeoutException.class, c::reply, "no reply before the terminator");
        } finally {
            c.timeout(5000);
        }
    }
}
