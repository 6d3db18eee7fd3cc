package io.smtpd.auth;

import static io.smtpd.auth.AuthFixture.b64;
import static io.smtpd.auth.AuthFixture.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.Session;
import io.smtpd.api.auth.AuthExchange;
import io.smtpd.api.auth.AuthMechanism;
import io.smtpd.api.auth.AuthResult;
import io.smtpd.api.auth.Authenticator;
import io.smtpd.api.auth.LoginPassword;
import io.smtpd.api.reply.Reply;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;
import io.smtpd.tls.TlsHandler;

/** Custom SASL mechanisms (aiosmtpd's auth_NAME), CRAM-MD5, proxy authorization and asynchronous outcomes. */
class AuthMechanismTest {
    private SmtpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private RawClient start(SmtpServer.Builder builder, ServerSettings.Builder settings) throws IOException {
        server = builder.settings(settings.authRequireTls(false).build()).handler(new TlsHandler()).build().start();
        RawClient c = new RawClient(server.localAddress());
        c.reply();
        return c;
    }

    /** XSTEP: two challenges, "one" then "two"; the outcome comes from another thread after a pause. */
    static final class TwoStep implements AuthMechanism {
        @Override
        public String name() {
            return "XSTEP";
        }

        @Override
        public CompletionStage<AuthResult> authenticate(AuthExchange exchange, byte[] initialResponse) {
            return exchange.challenge("first?".getBytes(StandardCharsets.US_ASCII))
                    .thenCompose(one -> exchange.challenge("second?".getBytes(StandardCharsets.US_ASCII))
                            .thenCompose(two -> CompletableFuture.supplyAsync(() ->
                                    new String(one, StandardCharsets.US_ASCII).equals("one")
                                            && new String(two, StandardCharsets.US_ASCII).equals("two")
                                            ? AuthResult.success("stepper") : AuthResult.failure(),
                                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS))));
        }
    }

    /** XLATE: asks for its challenge from another thread, then decides at once. */
    static final class LateChallenge implements AuthMechanism {
        @Override
        public String name() {
            return "XLATE";
        }

        @Override
        public CompletionStage<AuthResult> authenticate(AuthExchange exchange, byte[] initialResponse) {
            return CompletableFuture.supplyAsync(() -> "token?".getBytes(StandardCharsets.US_ASCII),
                            CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))
                    .thenCompose(exchange::challenge)
                    .thenApply(token -> new String(token, StandardCharsets.US_ASCII).equals("t0k3n")
                            ? new AuthResult(true, "late", Reply.parse("235 2.7.0 Welcome, late one"))
                            : AuthResult.failure());
        }
    }

    @Test
    void aCustomMechanismIsAdvertisedAndDrivesChallengesAsynchronously() throws IOException {
        try (RawClient c = start(SmtpServer.builder().authMechanism(new TwoStep()).authMechanism(new LateChallenge()),
                TestServers.settings())) {
            assertTrue(c.command("EHLO client").contains("250-AUTH LOGIN PLAIN XLATE XSTEP\r\n"));
            assertEquals("334 " + b64("first?"), c.command("AUTH XSTEP"));
            assertEquals("334 " + b64("second?"), c.command(b64("one")));
            assertEquals("535 5.7.8 Authentication credentials invalid", c.command(b64("three")));
            assertEquals("334 " + b64("first?"), c.command("AUTH xstep"));
            assertEquals("334 " + b64("second?"), c.command(b64("one")));
            assertEquals("235 2.7.0 Authentication successful", c.command(b64("two")));
        }
        try (RawClient c = new RawClient(server.localAddress())) {
            c.reply();
            c.command("EHLO client");
            assertEquals("334 " + b64("token?"), c.command("AUTH XLATE"));
            assertEquals("235 2.7.0 Welcome, late one", c.command(b64("t0k3n")));
        }
    }

    @Test
    void aCustomMechanismIsOfferedWithoutAnAuthenticator() throws IOException {
        try (RawClient c = start(SmtpServer.builder().authMechanism(new LateChallenge()), TestServers.settings())) {
            assertTrue(c.command("EHLO client").contains("250-AUTH LOGIN PLAIN XLATE\r\n"));
            assertEquals("535 5.7.8 Authentication credentials invalid",
                    c.command("AUTH PLAIN " + plain("", "alice", "s3cret:with:colons")));
        }
    }

    @Test
    void aCancelledCustomExchangeIsAnsweredOnce() throws IOException {
        try (RawClient c = start(SmtpServer.builder().authMechanism(new TwoStep()), TestServers.settings())) {
            c.command("EHLO client");
            assertEquals("334 " + b64("first?"), c.command("AUTH XSTEP"));
            assertEquals("501 5.7.0 Auth aborted", c.command("*"));
            assertEquals("250 OK", c.command("NOOP"));
        }
    }

    @Test
    void cramMd5IsOffWithoutTheSettingAndWorksWithIt() throws Exception {
        try (RawClient c = start(SmtpServer.builder(), TestServers.settings().authFile(AuthFixture.authFile()))) {
            assertTrue(c.command("EHLO client").contains("250-AUTH LOGIN PLAIN\r\n"));
            assertEquals("504 5.5.4 Unrecognized authentication type", c.command("AUTH CRAM-MD5"));
        }
        server.stop();
        try (RawClient c = start(SmtpServer.builder(),
                TestServers.settings().authFile(AuthFixture.authFile()).authCramMd5(true))) {
            assertTrue(c.command("EHLO client").contains("250-AUTH CRAM-MD5 LOGIN PLAIN\r\n"));
            String challenge = c.command("AUTH CRAM-MD5");
            assertTrue(challenge.startsWith("334 "), challenge);
            byte[] nonce = Base64.getDecoder().decode(challenge.substring(4));
            assertTrue(new String(nonce, StandardCharsets.US_ASCII).matches("<[0-9a-z]+\\.\\d+@smtp\\.example\\.test>"));
            assertEquals("535 5.7.8 Authentication credentials invalid",
                    c.command(b64("alice " + hmac("wrong", nonce))));
            challenge = c.command("AUTH CRAM-MD5");
            nonce = Base64.getDecoder().decode(challenge.substring(4));
            assertEquals("235 2.7.0 Authentication successful",
                    c.command(b64("alice " + hmac("s3cret:with:colons", nonce))));
        }
    }

    @Test
    void proxyAuthorizationReachesAnAuthenticatorThatAllowsIt() throws IOException {
        Authenticator admins = new Authenticator() {
            @Override
            public AuthResult authenticate(Session session, Envelope envelope, String mechanism, Object data) {
                LoginPassword credentials = (LoginPassword) data;
                String as = new String(credentials.authorizationId(), StandardCharsets.UTF_8);
                return credentials.loginString().equals("admin") && credentials.passwordEquals("root".getBytes(
                        StandardCharsets.UTF_8)) ? AuthResult.success(as.isEmpty() ? "admin" : as)
                        : AuthResult.failure();
            }

            @Override
            public boolean allowsProxyAuthorization() {
                return true;
            }
        };
        try (RawClient c = start(SmtpServer.builder().authenticator(admins), TestServers.settings())) {
            c.command("EHLO client");
            assertEquals("235 2.7.0 Authentication successful", c.command("AUTH PLAIN " + plain("bob", "admin",
                    "root")));
        }
    }

    @Test
    void aThrowingMechanismIsAnsweredAsAnyException() throws IOException {
        AuthMechanism broken = new AuthMechanism() {
            @Override
            public String name() {
                return "XBROKEN";
            }

            @Override
            public CompletionStage<AuthResult> authenticate(AuthExchange exchange, byte[] initialResponse) {
                return CompletableFuture.failedFuture(new IllegalStateException("backend down"));
            }
        };
        try (RawClient c = start(SmtpServer.builder().authMechanism(broken), TestServers.settings())) {
            c.command("EHLO client");
            assertEquals("500 Error: (IllegalStateException) backend down", c.command("AUTH XBROKEN"));
            assertEquals("250 OK", c.command("NOOP"));
        }
    }

    private static String hmac(String password, byte[] challenge) throws Exception {
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        return HexFormat.of().formatHex(mac.doFinal(challenge));
    }

}
