package io.smtpd.api;

import java.net.InetSocketAddress;

import io.smtpd.api.reply.Reply;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides, at accept and before any greeting, PROXY header or TLS handshake, whether a connection may proceed.
 * The server has a default (per-client caps and a connection rate per client address); registering a service of
 * this interface replaces it (highest {@code service.ranking} wins).
 */
@ConsumerType
public interface ConnectionPolicy {
    /**
     * @param client the socket peer
     * @param local  the address connected to
     * @return {@code null} to admit the connection, or the reply (usually a {@code 421}) to send before closing it
     */
    Reply admit(InetSocketAddress client, InetSocketAddress local);

    /** A connection this policy admitted has closed. */
    default void closed(InetSocketAddress client) {
    }
}
