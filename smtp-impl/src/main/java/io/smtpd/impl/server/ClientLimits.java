package io.smtpd.impl.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

import io.smtpd.api.ConnectionPolicy;
import io.smtpd.api.reply.Reply;

/**
 * The default connection policy (Postfix's {@code smtpd_client_connection_count_limit} and
 * {@code smtpd_client_connection_rate_limit}): at most {@code maxPerClient} sessions at once per client address,
 * and at most {@code ratePerMinute} new connections per client address in any minute. 0 turns a limit off.
 * Memory is bounded: one small entry per address with an open session or a recent connection.
 */
public final class ClientLimits implements ConnectionPolicy {
    static final Reply TOO_MANY_FROM_CLIENT = Reply.parse("421 4.7.0 Too many connections from your address")
            .closing();
    static final Reply RATE_EXCEEDED = Reply.parse("421 4.7.0 Connection rate limit exceeded").closing();
    private static final long MINUTE = 60_000_000_000L;
    private static final int MAX_TRACKED = 100_000;

    private final int maxPerClient;
    private final int ratePerMinute;
    private final ConcurrentHashMap<InetAddress, Counter> clients = new ConcurrentHashMap<>();

    public ClientLimits(int maxPerClient, int ratePerMinute) {
        this.maxPerClient = maxPerClient;
        this.ratePerMinute = ratePerMinute;
    }

    /** Whether this policy limits anything; the server skips an inactive one. */
    public boolean active() {
        return maxPerClient > 0 || ratePerMinute > 0;
    }

    @Override
    public Reply admit(InetSocketAddress client, InetSocketAddress local) {
        if (!active()) {
            return null;
        }
        if (clients.size() > MAX_TRACKED) {
            sweep();
        }
        Reply[] verdict = new Reply[1];
        clients.compute(client.getAddress(), (address, counter) -> {
            Counter c = counter == null ? new Counter() : counter;
            long now = System.nanoTime();
            if (now - c.windowStart >= MINUTE) {
                c.windowStart = now;
                c.recent = 0;
            }
            if (ratePerMinute > 0 && c.recent >= ratePerMinute) {
                verdict[0] = RATE_EXCEEDED;
            } else if (maxPerClient > 0 && c.open >= maxPerClient) {
                c.recent++;
                verdict[0] = TOO_MANY_FROM_CLIENT;
            } else {
                c.recent++;
                c.open++;
            }
            return c;
        });
        return verdict[0];
    }

    @Override
    public void closed(InetSocketAddress client) {
        if (!active()) {
            return;
        }
        clients.computeIfPresent(client.getAddress(), (address, c) -> {
            c.open = Math.max(0, c.open - 1);
            return c.open == 0 && System.nanoTime() - c.windowStart >= MINUTE ? null : c;
        });
    }

    private void sweep() {
        long now = System.nanoTime();
        clients.entrySet().removeIf(e -> e.getValue().open == 0 && now - e.getValue().windowStart >= MINUTE);
    }

    /** Open sessions and connections in the current one-minute window of one address. */
    private static final class Counter {
        int open;
        int recent;
        long windowStart = System.nanoTime();
    }
}
