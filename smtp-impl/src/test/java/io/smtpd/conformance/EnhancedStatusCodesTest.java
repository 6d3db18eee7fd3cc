package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.HOST;
import static io.smtpd.conformance.Fixtures.greeted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;

/**
 * With ENHANCEDSTATUSCODES advertised (RFC 2034), every 2xx, 4xx and 5xx reply but the greeting and the HELO/EHLO
 * replies starts with an RFC 3463 code of the same class, the text after it as aiosmtpd's (CLI.md).
 */
class EnhancedStatusCodesTest {
    private static final Pattern LINE = Pattern.compile("(\\d)(\\d\\d)[ -]([245])\\.\\d{1,3}\\.\\d{1,3} (.*)");

    /** The text after the code and the enhanced status code, checked to be there and of the reply's class. */
    private static String text(String reply) {
        String text = null;
        for (String line : reply.split("\r\n")) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), "no enhanced status code: " + reply);
            assertEquals(m.group(1), m.group(3), "class of " + line);
            text = m.group(4);
        }
        return text;
    }

    @Test
    void standardRepliesCarryACodeAndAiosmtpdsText() throws Exception {
        Handler handler = new Handler() {
            @Override
            public HookResult handleNoop(Session session, Envelope envelope, String argument) {
                if ("boom".equals(argument)) {
                    throw new IllegalStateException("boom");
                }
                return HookResult.proceed();
            }
        };
        try (SmtpServer s = Fixtures.start(handler, b -> b.enhancedStatusCodes(true).dataSizeLimit(10));
             RawClient c = greeted(s)) {
            String ehlo = c.command("EHLO client.example");
            assertTrue(Fixtures.lines(ehlo).contains("ENHANCEDSTATUSCODES"), ehlo);
            assertTrue(ehlo.startsWith("250-" + HOST + "\r\n"), "EHLO is exempt: " + ehlo);
            assertEquals("OK", text(c.command("NOOP")));
            assertEquals("Error: (IllegalStateException) boom", text(c.command("NOOP boom")));
            assertEquals("OK", text(c.command("RSET")));
            assertTrue(text(c.command("HELP")).startsWith("Supported commands: "));
            assertEquals("Syntax: NOOP [ignored]", text(c.command("HELP NOOP")));
            assertEquals("Cannot VRFY user, but will accept message and attempt delivery",
                    text(c.command("VRFY anne@example.com")));
            assertEquals("Could not VRFY @@", text(c.command("VRFY @@")));
            assertEquals("EXPN not implemented", text(c.command("EXPN x")));
            assertEquals("Error: command \"BOGUS\" not recognized", text(c.command("BOGUS")));
            assertEquals("Error: bad syntax", text(c.command("")));
            assertEquals("Command line too long", text(c.command("NOOP " + "x".repeat(600))));
            assertEquals("Error: need MAIL command", text(c.command("RCPT TO:<bart@example.com>")));
            assertEquals("Error: malformed address", text(c.command("MAIL FROM:<@example.com>")));
            assertEquals("Syntax: MAIL FROM: <address> [SP <mail-parameters>]", text(c.command("MAIL")));
            assertEquals("MAIL FROM parameters not recognized or not implemented",
                    text(c.command("MAIL FROM:<anne@example.com> FOO=BAR")));
            assertEquals("Error: message size exceeds fixed maximum message size",
                    text(c.command("MAIL FROM:<anne@example.com> SIZE=11")));
            assertEquals("OK", text(c.command("MAIL FROM:<anne@example.com>")));
            assertEquals("Error: nested MAIL command", text(c.command("MAIL FROM:<anne@example.com>")));
            assertEquals("RCPT TO parameters not recognized or not implemented",
                    text(c.command("RCPT TO:<bart@example.com> FOO")));
            assertEquals("OK", text(c.command("RCPT TO:<bart@example.com>")));
            assertEquals("Syntax: DATA", text(c.command("DATA x")));
            assertEquals("354 End data with <CR><LF>.<CR><LF>", c.command("DATA"), "3xx has no enhanced code");
            assertEquals("Error: Too much mail data", text(Fixtures.sendMessage(c, "more than ten octets\r\n")));
            c.send("QUIT");
            List<String> last = Fixtures.repliesUntilClosed(c);
            assertEquals(1, last.size());
            assertEquals("Bye", text(last.get(0)));
        }
    }

    @Test
    void refusedConnectionGetsACode() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.enhancedStatusCodes(true).maxConnections(1));
             RawClient c = greeted(s);
             RawClient refused = Fixtures.connect(s)) {
            assertEquals(List.of("421 4.7.0 Too many connections"), Fixtures.repliesUntilClosed(refused));
        }
    }

    @Test
    void timeoutGetsACode() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.enhancedStatusCodes(true)
                .timeout(java.time.Duration.ofMillis(300)));
             RawClient c = greeted(s)) {
            assertEquals(List.of("421 4.4.2 " + HOST + " timeout"), Fixtures.repliesUntilClosed(c));
        }
    }

    @Test
    void tooManyErrorsAndUnknownCommandsGetACode() throws Exception {
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.enhancedStatusCodes(true).maxErrors(1));
             RawClient c = greeted(s)) {
            c.send("");
            assertEquals(List.of("500 5.5.2 Error: bad syntax", "421 4.7.0 Too many errors"),
                    Fixtures.repliesUntilClosed(c));
        }
        try (SmtpServer s = Fixtures.start(new Handler() { }, b -> b.enhancedStatusCodes(true)
                .maxUnrecognizedCommands(1));
             RawClient c = greeted(s)) {
            c.send("BOGUS");
            assertEquals(List.of("502 5.5.1 Too many unrecognized commands, goodbye."), Fixtures.repliesUntilClosed(c));
        }
    }
}
