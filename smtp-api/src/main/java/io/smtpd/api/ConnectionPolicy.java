package io.smtpd.api;

import java.net.InetSocketAddress;

import io.smtpd.api.reply.Reply;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides whether a connection may proceed: at accept, before any greeting or TLS handshake. With the PROXY protocol
 * on, the socket's peer is the balancer, so the decision waits for the header and judges the client and destination
 * it names (for a {@code LOCAL} header, the socket's own addresses); a refusal is then sent where the greeting would
 * go, over TLS on an implicit-TLS port. The server has a default (per-client caps and a connection rate per client
 * address); registering a service of this interface replaces it (highest {@code service.ranking} wins).
 */
@ConsumerType
public interface ConnectionPolicy {
    /**
     * @param client the client: the socket peer, or the source the PROXY header names
     * @param local  the address connected to (the PROXY header's destination)
     * @return {@code null} to admit the connection, or the reply (usually a {@code 421}) to send before closing it
     */
    Reply admit(InetSocketAddress client, InetSocketAddress local);

    /** A connection this policy admitted has closed; {@code client} is the address it was admitted with. */
    default void closed(InetSocketAddress client) {
    }
}
