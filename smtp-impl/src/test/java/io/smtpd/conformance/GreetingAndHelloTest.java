package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.HOST;
import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S354_DATA;
import static io.smtpd.conformance.Fixtures.S503_HELO_FIRST;
import static io.smtpd.conformance.Fixtures.S503_NESTED_MAIL;
import static io.smtpd.conformance.Fixtures.S503_RCPT_NEEDED;
import static io.smtpd.conformance.Fixtures.greeted;
import static io.smtpd.conformance.Fixtures.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smtpd.api.Handler;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;

/** The 220 greeting, HELO and EHLO (RFC 5321 4.1.1.1, 4.3.1) as aiosmtpd 1.4 answers them. */
class GreetingAndHelloTest {
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
    void greetingNamesTheHostnameAndTheIdent() throws Exception {
        try (SmtpServer custom = Fixtures.start(new Handler() { }, s -> s.ident("Identifying SMTP v2112"));
             RawClient c = Fixtures.connect(custom)) {
            assertEquals("220 " + HOST + " Identifying SMTP v2112", c.reply());
        }
    }

    @Test
    void heloIsAnsweredWithTheServerHostname() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals("250 " + HOST, c.command("HELO client.example"));
        }
    }

    @Test
    void heloWithoutHostnameIsRejectedWith501() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals("501 Syntax: HELO hostname", c.command("HELO"));
            assertEquals("501 Syntax: HELO hostname", c.command("HELO    "));
        }
    }

    @Test
    void ehloWithoutHostnameIsRejectedWith501() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals("501 Syntax: EHLO hostname", c.command("EHLO"));
        }
    }

    @Test
    void ehloListsAiosmtpdsKeywordsInItsOrderWithHelpLast() throws Exception {
        try (RawClient c = greeted(server)) {
            String reply = c.command("EHLO client.example");
            List<String> lines = lines(reply);
            assertTrue(reply.startsWith("250-" + HOST + "\r\n"), reply);
            assertTrue(reply.endsWith("\r\n250 HELP"), reply);
            assertTrue(lines.indexOf("SIZE 33554432") > 0, reply);
            assertTrue(lines.indexOf("8BITMIME") > lines.indexOf("SIZE 33554432"), reply);
            assertFalse(lines.contains("SMTPUTF8"), reply);
            assertFalse(lines.contains("STARTTLS"), "no TLS configured: " + reply);
            assertFalse(lines.stream().anyMatch(l -> l.startsWith("AUTH")), "no authenticator: " + reply);
            for (String line : reply.split("\r\n")) {
                assertTrue(line.startsWith("250-") || line.equals("250 HELP"), reply);
            }
        }
    }

    @Test
    void ehloWithSmtpUtf8ListsItAfter8BitMime() throws Exception {
        try (SmtpServer utf8 = Fixtures.start(new Handler() { }, s -> s.smtpUtf8(true));
             RawClient c = greeted(utf8)) {
            List<String> lines = lines(c.command("EHLO client.example"));
            assertTrue(lines.indexOf("SMTPUTF8") > lines.indexOf("8BITMIME"), lines.toString());
            assertTrue(lines.indexOf("8BITMIME") > 0, lines.toString());
        }
    }

    @Test
    void ehloWithoutSizeLimitDoesNotAdvertiseSize() throws Exception {
        try (SmtpServer unlimited = Fixtures.start(new Handler() { }, s -> s.dataSizeLimit(0));
             RawClient c = greeted(unlimited)) {
            List<String> lines = lines(c.command("EHLO client.example"));
            assertFalse(lines.stream().anyMatch(l -> l.startsWith("SIZE")), lines.toString());
        }
    }

    @Test
    void ehloAdvertisesTheConfiguredSize() throws Exception {
        try (SmtpServer small = Fixtures.start(new Handler() { }, s -> s.dataSizeLimit(9999));
             RawClient c = greeted(small)) {
            assertTrue(lines(c.command("EHLO client.example")).contains("SIZE 9999"));
        }
    }

    @Test
    void ehloWithDecodeDataDoesNotAdvertise8BitMime() throws Exception {
        try (SmtpServer decoding = Fixtures.start(new Handler() { }, s -> s.decodeData(true));
             RawClient c = greeted(decoding)) {
            assertFalse(lines(c.command("EHLO client.example")).contains("8BITMIME"));
        }
    }

    @Test
    void repeatedHeloAndEhloAreAccepted() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals("250 " + HOST, c.command("HELO example.org"));
            assertEquals("250 " + HOST, c.command("HELO example.com"));
            assertTrue(c.command("EHLO example.org").endsWith("250 HELP"));
            assertTrue(c.command("EHLO example.com").endsWith("250 HELP"));
            assertEquals("250 " + HOST, c.command("HELO example.net"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HELO client.example", "EHLO client.example"})
    void greetingAgainResetsTheTransaction(String hello) throws Exception {
        try (RawClient c = greeted(server)) {
            c.command(hello);
            assertEquals(S250_OK, c.command("MAIL FROM:<anne@example.com>"));
            assertEquals(S250_OK, c.command("RCPT TO:<bart@example.com>"));
            assertTrue(c.command(hello).startsWith("250"));
            assertEquals(S503_RCPT_NEEDED, c.command("DATA"));
            assertEquals(S250_OK, c.command("MAIL FROM:<dave@example.com>"), "not a nested MAIL");
            assertEquals(S503_NESTED_MAIL, c.command("MAIL FROM:<dave@example.com>"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAIL FROM: <anne@example.com>", "RCPT TO: <anne@example.com>", "DATA"})
    void transactionCommandsBeforeHeloAreRejectedWith503(String command) throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals(S503_HELO_FIRST, c.command(command));
        }
    }

    @Test
    void newConnectionStartsWithoutHelo() throws Exception {
        try (RawClient first = greeted(server)) {
            first.command("HELO client.example");
        }
        try (RawClient second = greeted(server)) {
            assertEquals(S503_HELO_FIRST, second.command("MAIL FROM: <anne@example.com>"));
        }
    }

    @Test
    void verbsAreCaseInsensitive() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals("250 " + HOST, c.command("helo client.example"));
            assertEquals(S250_OK, c.command("mail from:<anne@example.com>"));
            assertEquals(S250_OK, c.command("Rcpt To:<bart@example.com>"));
            assertEquals(S354_DATA, c.command("data"));
            assertEquals(S250_OK, Fixtures.sendMessage(c, "hi\r\n"));
        }
    }
}
