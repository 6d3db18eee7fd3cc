package io.smtpd.handlers;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.smtpd.api.Session;

/** The client's IP address as the built-in handlers write it in {@code X-Peer}. */
final class ClientIp {
    private ClientIp() {
    }

    static String of(Session session) {
        InetSocketAddress address = session.clientAddress();
        if (address == null) {
            return "unknown";
        }
        InetAddress ip = address.getAddress();
        return ip != null ? ip.getHostAddress() : address.getHostString();
    }
}
