package io.smtpd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.smtpd.handlers.Sink;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;

class ConnectionLimitsTest {
    @Test
    void aClientOverItsSessionCapGets421AndTheOthersGoOn() throws Exception {
        try (SmtpServer server = TestServers.start(new Sink(), TestServers.settings().maxConnectionsPerClient(1));
             RawClient first = new RawClient(server.localAddress())) {
            assertEquals(220, first.code());
            try (RawClient second = new RawClient(server.localAddress())) {
                assertEquals("421 4.7.0 Too many connections from your address", second.reply());
                assertTrue(second.closedByServer());
            }
            assertEquals("250 OK", first.command("NOOP"));
        }
    }

    @Test
    void aClientOverItsConnectionRateGets421() throws Exception {
        try (SmtpServer server = TestServers.start(new Sink(), TestServers.settings().connectionRatePerClient(2))) {
            for (int i = 0; i < 2; i++) {
                try (RawClient c = new RawClient(server.localAddress())) {
                    assertEquals(220, c.code());
                }
            }
            try (RawClient c = new RawClient(server.localAddress())) {
                assertEquals("421 4.7.0 Connection rate limit exceeded", c.reply());
            }
        }
    }
}
