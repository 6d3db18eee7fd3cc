package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.greeted;
import static io.smtpd.conformance.Fixtures.heloed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smtpd.api.Handler;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;

/** VRFY and EXPN (RFC 5321 4.1.1.6, 4.1.1.7, 3.5.3) as aiosmtpd 1.4 answers them. */
class VrfyAndExpnTest {
    private static final String S252 = "252 Cannot VRFY user, but will accept message and attempt delivery";
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
    void vrfyOfAnAddressAnswers252WithoutHelo() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals(S252, c.command("VRFY <anne@example.com>"));
            assertEquals(S252, c.command("VRFY anne@example.com"));
            assertEquals(S252, c.command("VRFY anne"));
        }
    }

    @Test
    void vrfyWithoutArgumentIsRejectedWith501() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals("501 Syntax: VRFY <address>", c.command("VRFY"));
        }
    }

    @Test
    void vrfyOfSomethingThatIsNotAnAddressAnswers502() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals("502 Could not VRFY @@", c.command("VRFY @@"));
            assertEquals("502 Could not VRFY <@example.com>", c.command("VRFY <@example.com>"));
        }
    }

    @Test
    void expnIsNotImplemented() throws Exception {
        try (RawClient c = heloed(server)) {
            assertEquals("502 EXPN not implemented", c.command("EXPN anne@example.com"));
            assertEquals("502 EXPN not implemented", c.command("EXPN"));
        }
    }
}
