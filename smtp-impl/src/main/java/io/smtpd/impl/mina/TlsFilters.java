package io.smtpd.impl.mina;

import java.net.InetSocketAddress;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;

import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.SessionLog;
import io.smtpd.impl.tls.ServerTls;

/**
 * TLS on a MINA session: MINA's {@link SslFilter}, named {@value #NAME}, after the PROXY filter (the header precedes
 * the handshake) and before the codec. It is added per session, from the session's own settings, so that a
 * configuration change (new certificates) reaches new sessions while open ones keep theirs: at accept for implicit
 * TLS, after the {@code 220} for STARTTLS. Engines come from {@link ServerTls#newEngine()} (protocols, cipher suites,
 * renegotiation refused).
 */
final class TlsFilters {
    /** The filter's name; the connection cap removes it by that name for refused sessions. */
    static final String NAME = "ssl";

    private TlsFilters() {
    }

    /** Implicit TLS (SMTPS): when the session's settings ask for it, TLS from the first byte, greeting after it. */
    static void implicit(IoSession session, Conversation conversation) {
        ServerTls tls = conversation.server().implicitTls();
        if (tls != null) {
            insert(session, tls);
            conversation.expectImplicitTls();
        }
    }

    /** Puts TLS into the chain; the handshake starts with the client's hello. */
    static void insert(IoSession session, ServerTls tls) {
        IoFilterChain chain = session.getFilterChain();
        SslFilter filter = new Filter(tls);
        if (chain.contains(ProxyProtocolFilter.NAME)) {
            chain.addAfter(ProxyProtocolFilter.NAME, NAME, filter);
        } else {
            chain.addFirst(NAME, filter);
        }
    }

    /**
     * Tells the conversation once the handshake has finished. Called with the session's lock held, both for the
     * filter's {@code SECURED} event and before decoding input: MINA passes on data that arrived with the client's
     * last handshake message before it fires the event, and that data belongs to the new session.
     */
    static void checkSecured(IoSession session, Conversation conversation) {
        if (conversation.awaitingTls()) {
            SSLSession ssl = (SSLSession) session.getAttribute(SslFilter.SSL_SECURED);
            if (ssl != null) {
                String[] mdc = SessionLog.enter(conversation);
                try {
                    conversation.onTlsEstablished(ssl);
                } finally {
                    SessionLog.exit(mdc);
                }
            }
        }
    }

    /** An {@link SslFilter} whose engines carry the server's policy. */
    private static final class Filter extends SslFilter {
        private final ServerTls tls;

        Filter(ServerTls tls) {
            super(tls.context(), true);
            this.tls = tls;
        }

        @Override
        protected SSLEngine createEngine(IoSession session, InetSocketAddress address) {
            return tls.newEngine();
        }
    }
}
