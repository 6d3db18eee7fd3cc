package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S354_DATA;
import static io.smtpd.conformance.Fixtures.S501_SYNTAX_RCPT;
import static io.smtpd.conformance.Fixtures.S501_SYNTAX_RCPT_E;
import static io.smtpd.conformance.Fixtures.S503_HELO_FIRST;
import static io.smtpd.conformance.Fixtures.S503_MAIL_NEEDED;
import static io.smtpd.conformance.Fixtures.S553_MALFORMED;
import static io.smtpd.conformance.Fixtures.ehloed;
import static io.smtpd.conformance.Fixtures.greeted;
import static io.smtpd.conformance.Fixtures.heloed;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** RCPT TO (RFC 5321 4.1.1.3) as aiosmtpd 1.4 answers it, with the cap on recipients (CLI.md). */
class RcptCommandTest {
    private static final String S555_RCPT_PARAMS = "555 RCPT TO parameters not recognized or not implemented";
    private static SmtpServer server;

    @BeforeAll
    static void startServer() {
        server = Fixtures.start(new Handler() { });
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** aiosmtpd's {@code valid_rcptto_addresses}. */
    static Stream<String> aiosmtpdValidRecipients() {
        return Stream.concat(MailCommandTest.aiosmtpdValidSenders(),
                Stream.of("<Postmaster>", "b".repeat(490) + "@example.com", "c".repeat(502)));
    }

    @ParameterizedTest
    @MethodSource("aiosmtpdValidRecipients")
    void acceptsTheRecipientsAiosmtpdAccepts(String address) throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO: " + address));
        }
    }

    @Test
    void rcptBeforeMailIsRejectedWith503() throws Exception {
        try (RawClient c = heloed(server)) {
            assertEquals(S503_MAIL_NEEDED, c.command("RCPT TO: <anne@example.com>"));
            assertEquals(S503_MAIL_NEEDED, c.command("RCPT TO: malformed <"), "the sequence is checked first");
        }
    }

    @Test
    void rcptBeforeHeloIsRejectedWith503() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals(S503_HELO_FIRST, c.command("RCPT TO: <anne@example.com>"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RCPT", "RCPT <anne@example.com>", "RCPT TO:", "RCPT TO: <bart@example.com> SIZE=1000",
        "RCPT TO: bart <bart@example.com>"})
    void syntaxErrorAfterHeloIsRejectedWith501(String command) throws Exception {
        try (RawClient c = heloed(server)) {
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com>"));
            assertEquals(S501_SYNTAX_RCPT, c.command(command));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RCPT", "RCPT <anne@example.com>", "RCPT TO:", "RCPT TO: <bart@example.com> #$%=!@#",
        "RCPT TO: bart <bart@example.com>"})
    void syntaxErrorAfterEhloIsRejectedWith501AndTheParameterSyntax(String command) throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com>"));
            assertEquals(S501_SYNTAX_RCPT_E, c.command(command));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FOOBAR", "SIZE=1000", "XFOO=BAR"})
    void anyParameterIsRejectedWith555(String parameter) throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com>"));
            assertEquals(S555_RCPT_PARAMS, c.command("RCPT TO: <bart@example.com> " + parameter));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"<@example.com>", "<johnathon@>"})
    void malformedAddressIsRejectedWith553(String address) throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals(S250_OK, c.command("MAIL FROM: <anne@example.com>"));
            assertEquals(S553_MALFORMED, c.command("RCPT TO: " + address));
        }
    }

    @Test
    void recipientsReachTheHandlerInOrder() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler); RawClient c = ehloed(s)) {
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO:<@relay.example:cate@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO:<Postmaster>"));
            assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, "x\r\n"));
            assertEquals(List.of("bart@example.com", "cate@example.com", "Postmaster", "bart@example.com"),
                    Fixtures.onlyMessage(handler).rcptTos());
        }
    }

    @Test
    void recipientsOverTheLimitAreRefusedWith452AndTheOthersKept() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer s = Fixtures.start(handler, b -> b.maxRecipients(3).maxErrors(2));
             RawClient c = ehloed(s)) {
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            for (int i = 1; i <= 3; i++) {
                assertEquals(S250_OK, c.command("RCPT TO:<r" + i + "@example.com>"));
            }
            for (int i = 4; i <= 6; i++) { // 452 is not a syntax error: it does not use up the error budget
                assertEquals("452 4.5.3 Too many recipients", c.command("RCPT TO:<r" + i + "@example.com>"));
            }
            assertEquals(S354_DATA, c.command("DATA"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, "x\r\n"));
            assertEquals(List.of("r1@example.com", "r2@example.com", "r3@example.com"),
                    Fixtures.onlyMessage(handler).rcptTos());
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO:<r1@example.com>"), "the cap is per transaction");
        }
    }

    @Test
    void defaultCapIsAThousandRecipients() throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            StringBuilder pipelined = new StringBuilder();
            for (int i = 1; i <= 1001; i++) {
                pipelined.append("RCPT TO:<r").append(i).append("@example.com>\r\n");
            }
            c.sendRaw(pipelined.toString());
            for (int i = 1; i <= 1000; i++) {
                assertEquals(S250_OK, c.reply(), "recipient " + i);
            }
            assertEquals("452 4.5.3 Too many recipients", c.reply());
        }
    }
}
