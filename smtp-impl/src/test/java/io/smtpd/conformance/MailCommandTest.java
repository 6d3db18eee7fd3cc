package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S354_DATA;
import static io.smtpd.conformance.Fixtures.S501_SYNTAX_MAIL;
import static io.smtpd.conformance.Fixtures.S501_SYNTAX_MAIL_E;
import static io.smtpd.conformance.Fixtures.S503_NESTED_MAIL;
import static io.smtpd.conformance.Fixtures.S553_MALFORMED;
import static io.smtpd.conformance.Fixtures.ehloed;
import static io.smtpd.conformance.Fixtures.heloed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.smtpd.api.Handler;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.RecordingHandler;

/** MAIL FROM (RFC 5321 4.1.1.2) with SIZE, BODY and SMTPUTF8, as aiosmtpd 1.4 answers it. */
class MailCommandTest {
    private static SmtpServer server;

    @BeforeAll
    static void startServer() {
        server = Fixtures.start(new Handler() { });
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** aiosmtpd's {@code valid_mailfrom_addresses}. */
    static Stream<String> aiosmtpdValidSenders() {
        return Stream.of("anne@example.com", "<anne@example.com>", " anne@example.com", " <anne@example.com>",
                "  anne@example.com", "  <anne@example.com>", "anne.arthur@example.com", "anne+promo@example.com",
                "anne-arthur@example.com", "anne_arthur@example.com", "_@example.com", "anne@127.0.0.1",
                "anne@[127.0.0.1]", "anne@[IPv6:2001:db8::1]", "anne@[IPv6::1]", "anne(comment)@example.com",
                "(comment)anne@example.com", "anne@example.com(comment)", "anne@machine(comment).  example",
                "<@example.org:anne@example.com>", "<@example.net,@example.org:anne@example.com>", "anne@mail",
                "\"\"@example.com", "<\"\"@example.com>", "\" \"@example.com", "\"anne..arthur\"@example.com",
                "mailhost!anne@example.com", "anne%example.org@example.com", "much.\"more\\ unusual\"@example.com",
                "very.\"(),:;<>[]\".VERY.\"very@\\\\ \"very.unusual@strange.example.com",
                "Fred\\ Bloggs@example.com", "Joe.\\\\Blow@example.com", "\"Abc@def\"@example.com",
                "\"Fred Bloggs\"@example.com", "customer/department=shipping@example.com", "$A12345@example.com",
                "!def!xyz%abc@example.com", "a".repeat(65) + "@example.com", "b".repeat(488) + "@example.com",
                "c".repeat(500));
    }

    @ParameterizedTest
    @MethodSource("aiosmtpdValidSenders")
    void acceptsTheSendersAiosmtpdAccepts(String address) throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals(S250_OK, c.command("MAIL FROM:" + address));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"<@example.com>", "<johnathon@>"})
    void malformedAddressIsRejectedWith553(String address) throws Exception {
        try (RawClient c = heloed(server)) {
            assertEquals(S553_MALFORMED, c.command("MAIL FROM: " + address));
        }
        try (RawClient c = ehloed(server)) {
            assertEquals(S553_MALFORMED, c.command("MAIL FROM: " + address + " SIZE=28113"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAIL", "MAIL <anne@example.com>", "MAIL FROM:", "MAIL FROM: <anne@example.com> SIZE=10000",
        "MAIL FROM: Anne <anne@example.com>", "MAIL FROM <anne@example.com>"})
    void syntaxErrorAfterHeloIsRejectedWith501(String command) throws Exception {
        try (RawClient c = heloed(server)) {
            assertEquals(S501_SYNTAX_MAIL, c.command(command));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAIL FROM: <anne@example.com> SIZE 10000", "MAIL FROM: <anne@example.com> SIZE",
        "MAIL FROM: <anne@example.com> #$%=!@#", "MAIL FROM: <anne@example.com> SIZE = 10000",
        "MAIL FROM: <anne@example.com> SIZE=", "MAIL FROM: <anne@example.com> SIZE=ten", "MAIL",
        "MAIL FROM:", "MAIL FROM: Anne <anne@example.com>", "MAIL FROM:<> (comment)"})
    void syntaxErrorAfterEhloIsRejectedWith501AndTheParameterSyntax(String command) throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals(S501_SYNTAX_MAIL_E, c.command(command));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIZE=10000", " SIZE=10000", "SIZE=10000 ", "BODY=7BIT", "BODY=8BITMIME", "body=8bitmime",
        "SIZE=1 BODY=7BIT"})
    void knownParametersAreAccepted(String parameters) throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com> " + parameters));
        }
    }

    @Test
    void unknownParameterIsRejectedWith555() throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals("555 MAIL FROM parameters not recognized or not implemented",
                    c.command("MAIL FROM: <anne@example.com> FOO=BAR"));
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com>"), "nothing was recorded");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BODY=FOOBAR", "BODY 9BIT", "BODY"})
    void bodyOtherThan7BitOr8BitMimeIsRejectedWith501(String parameters) throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals("501 Error: BODY can only be one of 7BIT, 8BITMIME",
                    c.command("MAIL FROM: <anne@example.com> " + parameters));
        }
    }

    @Test
    void bodyIsAnUnknownParameterWithDecodeData() throws Exception {
        try (SmtpServer decoding = Fixtures.start(new Handler() { }, s -> s.decodeData(true));
             RawClient c = ehloed(decoding)) {
            assertEquals("555 MAIL FROM parameters not recognized or not implemented",
                    c.command("MAIL FROM: <anne@example.com> BODY=8BITMIME"));
        }
    }

    @Test
    void sizeOverTheLimitIsRejectedWith552() throws Exception {
        try (SmtpServer small = Fixtures.start(new Handler() { }, s -> s.dataSizeLimit(9999));
             RawClient c = ehloed(small)) {
            String exceeds = "552 Error: message size exceeds fixed maximum message size";
            assertEquals(exceeds, c.command("MAIL FROM: <anne@example.com> SIZE=10000"));
            assertEquals(exceeds, c.command("MAIL FROM: <anne@example.com> SIZE=" + "9".repeat(40)));
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com> SIZE=9999"));
        }
    }

    @Test
    void anySizeIsAcceptedWithoutALimit() throws Exception {
        try (SmtpServer unlimited = Fixtures.start(new Handler() { }, s -> s.dataSizeLimit(0));
             RawClient c = ehloed(unlimited)) {
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com> SIZE=" + "9".repeat(40)));
        }
    }

    @Test
    void smtpUtf8IsRejectedWhenDisabled() throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals("501 Error: SMTPUTF8 disabled", c.command("MAIL FROM: <anne@example.com> SMTPUTF8"));
        }
    }

    @Test
    void smtpUtf8TakesNoValue() throws Exception {
        try (SmtpServer utf8 = Fixtures.start(new Handler() { }, s -> s.smtpUtf8(true));
             RawClient c = ehloed(utf8)) {
            assertEquals("501 Error: SMTPUTF8 takes no arguments",
                    c.command("MAIL FROM: <anne@example.com> SMTPUTF8=YES"));
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com> SMTPUTF8"));
        }
    }

    @Test
    void secondMailInATransactionIsRejectedWith503() throws Exception {
        try (RawClient c = heloed(server)) {
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com>"));
            assertEquals(S503_NESTED_MAIL, c.command("MAIL FROM: <anne@example.com>"));
            assertEquals(S503_NESTED_MAIL, c.command("MAIL FROM:<>"));
        }
    }

    @Test
    void emptyQuotedLocalPartsAreAccepted() throws Exception {
        // aiosmtpd test_bpo27931fix_smtp and _esmtp
        try (RawClient c = heloed(server)) {
            assertEquals(S250_OK, c.command("MAIL FROM: <\"\"@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO: <\"\"@example.org>"));
        }
        try (RawClient c = ehloed(server)) {
            assertEquals(S250_OK, c.command("MAIL FROM: <\"\"@example.com> SIZE=28113"));
            assertEquals(S250_OK, c.command("RCPT TO: <\"\"@example.org>"));
        }
    }

    // ---- what reaches the handler ------------------------------------------------------------------------

    static Stream<List<String>> sendersAsDelivered() {
        return Stream.of(
                List.of("<>", "<>"),
                List.of("anne@example.com", "anne@example.com"),
                List.of("<@example.net,@example.org:anne@example.com>", "anne@example.com"),
                List.of("<\"anne arthur\"@example.com>", "\"anne arthur\"@example.com"),
                List.of("<\"anne\"@example.com>", "anne@example.com"),
                List.of("<anne@[192.0.2.1]>", "anne@[192.0.2.1]"),
                List.of("<anne@[IPv6:2001:db8::1]>", "anne@[IPv6:2001:db8::1]"),
                List.of("<anne(the sender)@example.com>", "anne@example.com"),
                List.of("<Postmaster>", "Postmaster"));
    }

    @ParameterizedTest
    @MethodSource("sendersAsDelivered")
    void handlerReceivesTheSenderAsPythonsParserNormalisesIt(List<String> sentAndDelivered) throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            assertEquals(S250_OK, c.command("MAIL FROM:" + sentAndDelivered.get(0)));
            assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, "Subject: x\r\n\r\nbody\r\n"));
            assertEquals(sentAndDelivered.get(1), Fixtures.onlyMessage(handler).mailFrom());
        }
    }

    @Test
    void mailOptionsReachTheHandlerUpperCasedInOrder() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>  size=100   body=8bitmime"));
            assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, "x\r\n"));
            RecordingHandler.Message m = Fixtures.onlyMessage(handler);
            assertEquals(List.of("SIZE=100", "BODY=8BITMIME"), m.mailOptions());
            assertFalse(m.smtpUtf8());
        }
    }

    @Test
    void keywordFromIsCaseInsensitiveAndSpacesAfterTheColonAreAllowed() throws Exception {
        try (RawClient c = heloed(server)) {
            assertEquals(S250_OK, c.command("MAIL from:    <anne@example.com>"));
        }
    }

    @Test
    void syntaxReplyDependsOnHeloOrEhloOfTheSession() throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals(S501_SYNTAX_MAIL_E, c.command("MAIL"));
            assertTrue(c.command("HELO client.example").startsWith("250 "));
            assertEquals(S501_SYNTAX_MAIL, c.command("MAIL"));
        }
    }
}
