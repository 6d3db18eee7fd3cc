package io.smtpd.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * One open session, as {@link RunningServer#sessions()} saw it.
 *
 * @param id            the session id (as in the logs' {@code smtp.session})
 * @param server        the server's name
 * @param client        the client's address: the PROXY protocol's source when there is one, else the peer
 * @param peer          the TCP peer
 * @param state         {@code greeting}, {@code tls-handshake}, {@code command}, {@code transaction}, {@code data},
 *                      {@code handler} (waiting for a hook) or {@code closing}
 * @param started       when the connection was accepted
 * @param bytesReceived octets received so far
 * @param bytesSent     octets sent so far
 */
public record SessionInfo(String id, String server, InetSocketAddress client, InetSocketAddress peer, String state,
                          Instant started, long bytesReceived, long bytesSent) {
    /** How long the session has been open. */
    public Duration age() {
        return Duration.between(started, Instant.now());
    }
}
