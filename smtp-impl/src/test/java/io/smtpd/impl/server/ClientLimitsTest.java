package io.smtpd.impl.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class ClientLimitsTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 25);
    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 40000);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 40000);

    @Test
    void capsSessionsPerClientAddressAndFreesASlotOnClose() {
        ClientLimits limits = new ClientLimits(2, 0);
        assertNull(limits.admit(A, LOCAL));
        assertNull(limits.admit(A, LOCAL));
        assertEquals(ClientLimits.TOO_MANY_FROM_CLIENT, limits.admit(A, LOCAL));
        assertNull(limits.admit(B, LOCAL), "another address has its own budget");
        limits.closed(A);
        assertNull(limits.admit(A, LOCAL));
    }

    @Test
    void limitsTheConnectionRatePerClientAddress() {
        ClientLimits limits = new ClientLimits(0, 3);
        for (int i = 0; i < 3; i++) {
            assertNull(limits.admit(A, LOCAL));
            limits.closed(A);
        }
        assertEquals(ClientLimits.RATE_EXCEEDED, limits.admit(A, LOCAL));
        assertNull(limits.admit(B, LOCAL));
    }

    @Test
    void zeroMeansNoLimit() {
        ClientLimits limits = new ClientLimits(0, 0);
        for (int i = 0; i < 10_000; i++) {
            assertNull(limits.admit(A, LOCAL));
        }
    }
}
