package io.smtpd.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.smtpd.api.auth.AuthResult;
import io.smtpd.api.auth.LoginPassword;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;

/**
 * Malformed and abusive commands: NUL bytes, the unknown-command budget (5, then {@code 502} and close), the syntax
 * error budget (20, then {@code 421}; replies to well-formed commands do not count), the AUTH failure budget (3, then
 * {@code 421}). After each, a normal transaction works on a new connection, and on the same one when the session
 * survives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MalformedCommandTest {
    private RecordingHandler handler;
    private SmtpServer server;

    @BeforeEach
    void start() {
        handler = new RecordingHandler();
        server = SmtpServer.builder()
                .settings(TestServers.settings().authRequireTls(false).build())
                .handler(handler)
                .authenticator((session, envelope, mechanism, data) -> data instanceof LoginPassword
                        && ((LoginPassword) data).loginString().equals("user")
                        && ((LoginPassword) data).passwordEquals("pass".getBytes(StandardCharsets.UTF_8))
                        ? AuthResult.success("user") : AuthResult.failure())
                .build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void nulBytesInCommandsAreRefusedAndNeverReachAnEnvelope() throws Exception {
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            assertCode(500, c.command("NO\0OP"));
            assertCode(500, c.command("\0"));
            String mail = c.command("MAIL FROM:<a\0b@example.com>");
            assertTrue(mail.startsWith("501 ") || mail.startsWith("553 "), "NUL in MAIL FROM: " + mail);
            c.expect("MAIL FROM:<a@example.com>", 250);
            String rcpt = c.command("RCPT TO:<c@exa\0mple.com>");
            assertTrue(rcpt.startsWith("501 ") || rcpt.startsWith("553 "), "NUL in RCPT TO: " + rcpt);
            String quoted = c.command("RCPT TO:<\"c\0\"@example.com>");
            assertTrue(quoted.startsWith("501 ") || quoted.startsWith("553 "), "NUL in a quoted local part: " + quoted);
            String literal = c.command("RCPT TO:<c@[192.0.2.1\0]>");
            assertTrue(literal.startsWith("501 ") || literal.startsWith("553 "), "NUL in an address literal: " + literal);
            String cr = c.command("RCPT TO:<c\r@example.com>");
            assertTrue(cr.startsWith("501 ") || cr.startsWith("553 "), "CR in an address: " + cr);
            c.expect("RSET", 250);
            Attack.transactionWorks(c, handler);
        }
        assertTrue(handler.messages().stream().allMatch(m -> !m.mailFrom().contains("\0")
                && m.rcptTos().stream().noneMatch(r -> r.contains("\0") || r.contains("\r"))));
        Attack.normalTransactionWorks(server, handler);
    }

    @Test
    void theFifthUnknownCommandGets502AndClosesTheSession() throws Exception {
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            for (int i = 1; i < 5; i++) {
                assertEquals("500 Error: command \"BOGUS" + i + "\" not recognized", c.command("BOGUS" + i));
                c.expect("NOOP", 250); // good commands in between do not reset the count
            }
            assertEquals("502 5.5.1 Too many unrecognized commands, goodbye.", c.command("BOGUS5"));
            assertTrue(c.awaitClose(10_000));
        }
        Attack.normalTransactionWorks(server, handler);
    }

    @Test
    void theTwentiethSyntaxErrorGets421AndClosesTheSession() throws Exception {
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            // well-formed commands refused in this state do not count
            for (int i = 0; i < 30; i++) {
                assertCode(503, c.command("DATA"));
            }
            c.expect("MAIL FROM:<a@example.com>", 250);
            for (int i = 0; i < 30; i++) {
                assertCode(503, c.command("MAIL FROM:<b@example.com>"));
            }
            c.expect("RSET", 250);
            List<String> errors = List.of("HELO", "MAIL FROM:<<<", "MAIL FROM:", "VRFY", "RSET x", "QUIT x", "EHLO",
                    "MAIL FROM:<a@example.com> BODY=FOO");
            for (int i = 1; i < 20; i++) {
                String command = errors.get(i % errors.size());
                String reply = c.command(command);
                assertTrue(reply.matches("(500|501|553|555) .*"), command + " is a syntax error: " + reply);
            }
            assertEquals(501, Integer.parseInt(c.command("HELO").substring(0, 3)));
            assertEquals("421 4.7.0 Too many errors", c.reply());
            assertTrue(c.awaitClose(10_000));
        }
        assertEquals(0, handler.messages().size());
        Attack.normalTransactionWorks(server, handler);
    }

    @Test
    void theThirdFailedAuthGets421AndClosesTheSession() throws Exception {
        String wrong = Base64.getEncoder().encodeToString("\0user\0wrong".getBytes(StandardCharsets.UTF_8));
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            assertCode(535, c.command("AUTH PLAIN " + wrong));
            assertCode(501, c.command("AUTH PLAIN not-base64!"));
            assertCode(535, c.command("AUTH PLAIN " + wrong));
            assertEquals("421 4.7.0 Too many failed authentication attempts", c.reply());
            assertTrue(c.awaitClose(10_000));
        }
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            c.expect("AUTH LOGIN", 334);
            assertCode(501, c.command("*")); // cancelled: counts
            String right = Base64.getEncoder().encodeToString("\0user\0pass".getBytes(StandardCharsets.UTF_8));
            assertCode(235, c.command("AUTH PLAIN " + right));
            Attack.transactionWorks(c, handler);
        }
        Attack.normalTransactionWorks(server, handler);
    }

    @Test
    void anOverlongAuthResponseIsRefusedAndTheSessionGoesOn() throws Exception {
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            c.expect("AUTH PLAIN", 334);
            String reply = c.command("A".repeat(1024 * 1024));
            assertEquals("500 5.5.6 Authentication Exchange line is too long", reply, "RFC 4954 4");
            String right = Base64.getEncoder().encodeToString("\0user\0pass".getBytes(StandardCharsets.UTF_8));
            assertCode(235, c.command("AUTH PLAIN " + right));
            Attack.transactionWorks(c, handler);
        }
        Attack.normalTransactionWorks(server, handler);
    }

    @Test
    void overlongAuthResponsesCountAsFailedAttempts() throws Exception {
        try (SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            for (int i = 0; i < 3; i++) {
                c.expect("AUTH PLAIN", 334);
                assertEquals("500 5.5.6 Authentication Exchange line is too long", c.command("A".repeat(20_000)));
            }
            assertEquals("421 4.7.0 Too many failed authentication attempts", c.reply());
        }
    }

    private static void assertCode(int code, String reply) {
        assertTrue(reply.startsWith(code + " ") || reply.startsWith(code + "-"), "expected " + code + ": " + reply);
    }
}
