package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.S354_DATA;
import static io.smtpd.conformance.Fixtures.greeted;
import static io.smtpd.conformance.Fixtures.inTransaction;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smtpd.api.Handler;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;

/** NOOP (RFC 5321 4.1.1.9); aiosmtpd 1.4 ignores its argument. */
class NoopCommandTest {
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
    void noopAnswers250EvenBeforeHelo() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals(S250_OK, c.command("NOOP"));
        }
    }

    @Test
    void noopArgumentIsIgnored() throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals(S250_OK, c.command("NOOP ok"));
            assertEquals(S250_OK, c.command("noop   with several words   "));
        }
    }

    @Test
    void noopLeavesTheTransactionAlone() throws Exception {
        try (RawClient c = inTransaction(server)) {
            assertEquals(S250_OK, c.command("NOOP"));
            assertEquals(S354_DATA, c.command("DATA"));
        }
    }
}
