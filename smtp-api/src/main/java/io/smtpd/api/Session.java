package io.smtpd.api;

import java.net.InetSocketAddress;
import java.util.Optional;

import io.smtpd.api.proxy.ProxyData;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The state of one SMTP connection, as aiosmtpd's {@code Session}. It lives from the connection's accept to its
 * close; STARTTLS starts it afresh (RFC 3207 4.2). Hooks of one session are never called concurrently.
 */
@ProviderType
public interface Session {
    /** A short identifier of this connection, unique within the server process, for logs. */
    String id();

    /** The address of the socket's peer (the proxy itself when the PROXY protocol is on). */
    InetSocketAddress peer();

    /**
     * The address of the client: the one a PROXY protocol header named, or else {@link #peer()}. This is
     * the address the built-in handlers put in {@code X-Peer}.
     */
    InetSocketAddress clientAddress();

    /** The address the client connected to. */
    InetSocketAddress localAddress();

    /** The name the client gave in HELO, EHLO or LHLO, or {@code null} before that. */
    String hostName();

    /** Sets the HELO name: what the server does itself unless a HELO/EHLO hook answered. */
    void setHostName(String hostName);

    /** Whether the client greeted with EHLO (or LHLO) rather than HELO. */
    boolean extendedSmtp();

    /** The server's own host name, as in its greeting. */
    String serverHostname();

    /** Whether this session speaks LMTP (RFC 2033). */
    boolean lmtp();

    /** The TLS facts, once the connection is encrypted. */
    Optional<TlsInfo> tls();

    /** Whether a successful AUTH happened in this session. */
    boolean authenticated();

    /** What the authenticator returned on success (for the built-in mechanisms, the login name). */
    Optional<Object> authData();

    /** The PROXY protocol header's content, when the server expects one. */
    Optional<ProxyData> proxyData();

    /** State a handler keeps for the whole connection. */
    Attributes attributes();

    /**
     * The client facts a trusted proxy gave with XCLIENT (Postfix): attribute name (upper case: NAME, ADDR, PORT,
     * HELO, PROTO, LOGIN) to value, xtext-decoded; empty without XCLIENT. ADDR and PORT also become
     * {@link #clientAddress()}, LOGIN makes the session {@link #authenticated()}.
     */
    default java.util.Map<String, String> xclientAttributes() {
        return java.util.Map.of();
    }
}
