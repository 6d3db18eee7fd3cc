package io.smtpd.auth;

import static io.smtpd.auth.AuthFixture.b64;
import static io.smtpd.auth.AuthFixture.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;
import io.smtpd.tls.TlsHandler;

/** AUTH (RFC 4954) with the auth file over a plaintext channel (AUTH allowed without TLS): every reply. */
class AuthCommandTest {
    private static Path users;
    private final TlsHandler handler = new TlsHandler();
    private SmtpServer server;

    @BeforeAll
    static void writeUsers() {
        users = AuthFixture.authFile();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private ServerSettings.Builder settings() {
        return TestServers.settings().authFile(users).authRequireTls(false);
    }

    private RawClient connect(ServerSettings.Builder settings) throws IOException {
        server = TestServers.start(handler, settings);
        RawClient c = new RawClient(server.localAddress());
        c.reply();
        return c;
    }

    /** Connected and greeted with EHLO. */
    private RawClient ehloed(ServerSettings.Builder settings) throws IOException {
        RawClient c = connect(settings);
        assertTrue(c.command("EHLO client").startsWith("250-"));
        return c;
    }

    private RawClient ehloed() throws IOException {
        return ehloed(settings());
    }

    @Test
    void ehloAdvertisesLoginAndPlainSorted() throws IOException {
        try (RawClient c = connect(settings())) {
            assertEquals("250-smtp.example.test\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250-AUTH LOGIN PLAIN\r\n"
                    + "250-PIPELINING\r\n250-CHUNKING\r\n250-BINARYMIME\r\n250-DSN\r\n250 HELP", c.command("EHLO client"));
        }
    }

    @Test
    void authIsNeitherOfferedNorAcceptedInClearWhenItRequiresTls() throws IOException {
        try (RawClient c = ehloed(TestServers.settings().authFile(users))) {
            assertFalse(c.command("EHLO client").contains("AUTH"));
            assertEquals("538 5.7.11 Encryption required for requested authentication mechanism",
                    c.command("AUTH PLAIN " + plain("", "alice", "s3cret:with:colons")));
        }
    }

    @Test
    void withoutAnAuthenticatorAuthIsNotOfferedAndAlwaysFails() throws IOException {
        try (RawClient c = connect(TestServers.settings().authRequireTls(false))) {
            assertFalse(c.command("EHLO client").contains("AUTH"));
            assertEquals("535 5.7.8 Authentication credentials invalid",
                    c.command("AUTH PLAIN " + plain("", "alice", "s3cret:with:colons")));
        }
    }

    @Test
    void authNeedsEhloFirst() throws IOException {
        try (RawClient c = connect(settings())) {
            assertEquals("503 Error: send EHLO first", c.command("AUTH PLAIN"));
            assertEquals("250 smtp.example.test", c.command("HELO client"));
            assertEquals("500 Error: command 'AUTH' not recognized", c.command("AUTH PLAIN"));
        }
    }

    @Test
    void argumentCountIsChecked() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("501 Not enough value", c.command("AUTH"));
            assertEquals("501 Too many values", c.command("AUTH PLAIN abc def"));
            assertEquals("504 5.5.4 Unrecognized authentication type", c.command("AUTH GSSAPI"));
            assertEquals("504 5.5.4 Unrecognized authentication type", c.command("AUTH CRAM-MD5"));
        }
    }

    @Test
    void authInsideATransactionIs503() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("250 OK", c.command("MAIL FROM:<a@example.com>"));
            assertEquals("503 Error: AUTH not allowed during a mail transaction",
                    c.command("AUTH PLAIN " + plain("", "alice", "s3cret:with:colons")));
            assertEquals("250 OK", c.command("RSET"));
            assertEquals("235 2.7.0 Authentication successful",
                    c.command("AUTH PLAIN " + plain("", "alice", "s3cret:with:colons")));
        }
    }

    @Test
    void plainWithAnInitialResponse() throws Exception {
        try (RawClient c = ehloed()) {
            assertEquals("235 2.7.0 Authentication successful",
                    c.command("AUTH PLAIN " + plain("", "alice", "s3cret:with:colons")));
            assertEquals("503 Already authenticated", c.command("AUTH PLAIN " + plain("", "Bob", "pw")));
            send(c);
        }
        assertEquals("alice", handler.authAtData.get(0));
    }

    @Test
    void plainAfterAChallenge() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("334 ", c.command("AUTH PLAIN"));
            assertEquals("235 2.7.0 Authentication successful", c.command(plain("", "Bob", "pw")));
        }
    }

    @Test
    void plainAcceptsAnAuthorizationIdentityEqualToTheLoginOnly() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("535 5.7.8 Authentication credentials invalid",
                    c.command("AUTH PLAIN " + plain("Bob", "alice", "s3cret:with:colons")));
            assertEquals("235 2.7.0 Authentication successful", c.command("AUTH PLAIN " + plain("Bob", "Bob", "pw")));
        }
    }

    @Test
    void plainThatDoesNotSplitInThreeIs501() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("501 5.5.2 Can't split auth value", c.command("AUTH PLAIN " + b64("alice\0pw")));
            assertEquals("501 5.5.2 Can't split auth value", c.command("AUTH PLAIN " + b64("a\0b\0c\0d")));
        }
    }

    @Test
    void loginWithAnInitialResponse() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("334 UGFzc3dvcmQA", c.command("AUTH LOGIN " + b64("alice")));
            assertEquals("235 2.7.0 Authentication successful", c.command(b64("s3cret:with:colons")));
        }
    }

    @Test
    void loginAfterChallenges() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("334 VXNlciBOYW1lAA==", c.command("AUTH LOGIN"));
            assertEquals("334 UGFzc3dvcmQA", c.command(b64("d\u00e9si")));
            assertEquals("235 2.7.0 Authentication successful", c.command(b64("m\u00f8t de passe")));
        }
    }

    @Test
    void anEqualsSignIsAnEmptyInitialResponse() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("501 5.5.2 Can't split auth value", c.command("AUTH PLAIN ="));
            assertEquals("334 UGFzc3dvcmQA", c.command("AUTH LOGIN ="));
            assertEquals("535 5.7.8 Authentication credentials invalid", c.command(b64("pw")));
        }
    }

    @Test
    void anEmptyPasswordIsAPassword() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("334 VXNlciBOYW1lAA==", c.command("AUTH LOGIN"));
            assertEquals("334 UGFzc3dvcmQA", c.command(b64("carol")));
            assertEquals("235 2.7.0 Authentication successful", c.command(""));
        }
    }

    @Test
    void anAsteriskCancels() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("334 VXNlciBOYW1lAA==", c.command("AUTH LOGIN"));
            assertEquals("501 5.7.0 Auth aborted", c.command("*"));
            assertEquals("334 ", c.command("AUTH PLAIN"));
            assertEquals("501 5.7.0 Auth aborted", c.command(" * "));
            assertEquals("250 OK", c.command("NOOP"));
        }
    }

    @Test
    void badBase64Is501() throws IOException {
        try (RawClient c = ehloed(settings().maxAuthFailures(10))) {
            assertEquals("501 5.5.2 Can't decode base64", c.command("AUTH PLAIN not-base64!"));
            assertEquals("500 Error: strict ASCII mode", c.command("AUTH PLAIN YWJj\u00e9")); // before AUTH sees it
            assertEquals("501 5.5.2 Can't decode base64", c.command("AUTH PLAIN YQ"));
            assertEquals("501 5.5.2 Can't decode base64", c.command("AUTH PLAIN YQ==YQ=="));
            assertEquals("334 VXNlciBOYW1lAA==", c.command("AUTH LOGIN"));
            assertEquals("501 5.5.2 Can't decode base64", c.command("YWxpY2U"));
            assertEquals("334 UGFzc3dvcmQA", c.command("AUTH LOGIN " + b64("alice")));
            assertEquals("501 5.5.2 Can't decode base64", c.command("%%%%"));
        }
    }

    @Test
    void wrongCredentialsAre535() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("535 5.7.8 Authentication credentials invalid",
                    c.command("AUTH PLAIN " + plain("", "alice", "wrong")));
            assertEquals("535 5.7.8 Authentication credentials invalid",
                    c.command("AUTH PLAIN " + plain("", "ALICE", "s3cret:with:colons")));
        }
    }

    @Test
    void theThirdFailureCloses() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("535 5.7.8 Authentication credentials invalid",
                    c.command("AUTH PLAIN " + plain("", "nobody", "x")));
            assertEquals("334 ", c.command("AUTH PLAIN"));
            assertEquals("501 5.7.0 Auth aborted", c.command("*"));
            assertEquals("501 5.5.2 Can't decode base64", c.command("AUTH LOGIN !"));
            assertEquals("421 4.7.0 Too many failed authentication attempts", c.reply());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void refusalsBeforeTheExchangeAreNotAuthFailures() throws IOException {
        try (RawClient c = ehloed()) {
            for (int i = 0; i < 4; i++) {
                assertEquals("504 5.5.4 Unrecognized authentication type", c.command("AUTH X" + i));
            }
            assertEquals("235 2.7.0 Authentication successful", c.command("AUTH PLAIN " + plain("", "Bob", "pw")));
        }
    }

    @Test
    void mechanismNamesAreCaseInsensitive() throws IOException {
        try (RawClient c = ehloed()) {
            assertEquals("235 2.7.0 Authentication successful", c.command("auth plain " + plain("", "Bob", "pw")));
        }
    }

    @Test
    void authRequiredGatesMailRcptDataVrfyAndHelp() throws Exception {
        try (RawClient c = ehloed(settings().authRequired(true))) {
            for (String command : List.of("MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>", "DATA",
                    "VRFY someone", "HELP", "HELP MAIL")) {
                assertEquals("530 5.7.0 Authentication required", c.command(command), command);
            }
            assertEquals("250 OK", c.command("NOOP"));
            assertEquals("250 OK", c.command("RSET"));
            assertEquals("235 2.7.0 Authentication successful", c.command("AUTH PLAIN " + plain("", "Bob", "pw")));
            send(c);
            assertTrue(c.command("HELP").startsWith("250 Supported commands"));
        }
        assertEquals("Bob", handler.authAtData.get(0));
    }

    @Test
    void theAuthHookCanAnswerInstead() throws IOException {
        TlsHandler refusing = new TlsHandler() {
            @Override
            public HookResult handleAuth(Session session, Envelope envelope, List<String> arguments) {
                return arguments.get(0).equals("LOGIN") ? HookResult.reply("554 5.7.1 not you") : HookResult.proceed();
            }
        };
        server = TestServers.start(refusing, settings());
        try (RawClient c = new RawClient(server.localAddress())) {
            c.reply();
            c.command("EHLO client");
            for (int i = 0; i < 3; i++) {
                assertEquals("554 5.7.1 not you", c.command("AUTH LOGIN " + b64("alice")));
            }
            assertEquals("235 2.7.0 Authentication successful", c.command("AUTH PLAIN " + plain("", "Bob", "pw")));
        }
    }

    @Test
    void excludedMechanismsAreNeitherOfferedNorAccepted() throws IOException {
        try (RawClient c = connect(settings().authExclude(List.of("login")))) {
            assertTrue(c.command("EHLO client").contains("250-AUTH PLAIN\r\n"));
            assertEquals("504 5.5.4 Unrecognized authentication type", c.command("AUTH LOGIN"));
        }
    }

    private static void send(RawClient c) throws IOException {
        assertEquals("250 OK", c.command("MAIL FROM:<a@example.com>"));
        assertEquals("250 OK", c.command("RCPT TO:<b@example.com>"));
        assertEquals("354 End data with <CR><LF>.<CR><LF>", c.command("DATA"));
        assertEquals("250 OK", c.command("Subject: auth\r\n\r\nhello\r\n."));
    }
}
