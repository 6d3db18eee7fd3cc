package io.smtpd.impl.mina;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpd.api.ConnectionPolicy;
import io.smtpd.api.proxy.ProxyData;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.ServerContext;
import io.smtpd.impl.protocol.SessionLog;

/**
 * The MINA {@code IoHandler}: opens a {@link Conversation} per session, hands it decoded input, enforces the
 * connection cap, and tells it when the connection is gone.
 */
final class SmtpIoHandler extends IoHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpIoHandler.class);
    private static final AttributeKey COUNTED = new AttributeKey(SmtpIoHandler.class, "counted");
    private static final byte[] TOO_MANY =
            Replies.S421_TOO_MANY_CONNECTIONS.render(false).getBytes(StandardCharsets.US_ASCII);

    /** The policy that admitted the session, and the client address it judged: told when the session closes. */
    private static final AttributeKey POLICY = new AttributeKey(SmtpIoHandler.class, "policy");
    /** The policy to consult once the PROXY header names the client. */
    private static final AttributeKey POLICY_AFTER_PROXY = new AttributeKey(SmtpIoHandler.class, "policy-after-proxy");

    /** A policy's admission of one client address. */
    private static final class Admitted {
        final ConnectionPolicy policy;
        final InetSocketAddress client;

        Admitted(ConnectionPolicy policy, InetSocketAddress client) {
            this.policy = policy;
            this.client = client;
        }
    }

    private final Supplier<ServerContext> contexts;
    private final Supplier<ConnectionPolicy> policies;
    private final AtomicInteger open = new AtomicInteger();

    /**
     * @param contexts the settings new sessions start with (a configuration update changes it)
     * @param policies the connection policy new connections are checked against
     */
    SmtpIoHandler(Supplier<ServerContext> contexts, Supplier<ConnectionPolicy> policies) {
        this.contexts = contexts;
        this.policies = policies;
    }

    int openSessions() {
        return open.get();
    }

    @Override
    public void sessionCreated(IoSession session) {
        ServerContext server = contexts.get();
        int max = server.settings().maxConnections();
        int now = open.incrementAndGet();
        session.setAttribute(COUNTED, Boolean.TRUE);
        if (max > 0 && now > max) {
            LOG.info("refusing {}: {} sessions open", session.getRemoteAddress(), now - 1);
            server.metrics().sessionRefused();
            refuse(session, TOO_MANY);
            return;
        }
        ConnectionPolicy policy = policies.get();
        if (server.settings().proxyProtocolTimeout() != null) {
            // the socket's peer is the balancer: the policy judges the client the PROXY header names (sessionOpened)
            session.setAttribute(POLICY_AFTER_PROXY, policy);
        } else {
            Reply refusal = admit(session, server, policy, (InetSocketAddress) session.getRemoteAddress(),
                    (InetSocketAddress) session.getLocalAddress());
            if (refusal != null) {
                refuse(session, refusal.render(false).getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        MinaConnection connection = new MinaConnection(session, server.settings().writeBufferLimit());
        SessionContext context = new SessionContext(connection);
        connection.context(context);
        SessionContext.attach(session, context);
        context.conversation = new Conversation(server, connection);
        server.metrics().sessionOpened();
        TlsFilters.implicit(session, context.conversation);
    }

    /** Answers straight to the socket, before any PROXY header or TLS handshake, and closes. */
    private static void refuse(IoSession session, byte[] reply) {
        for (String filter : new String[] {"ssl", "proxy", "codec"}) {
            if (session.getFilterChain().contains(filter)) {
                session.getFilterChain().remove(filter);
            }
        }
        session.write(IoBuffer.wrap(reply));
        session.closeOnFlush();
    }

    @Override
    public void sessionOpened(IoSession session) {
        SessionContext context = SessionContext.of(session);
        if (context == null) {
            return;
        }
        String[] mdc = SessionLog.enter(context.conversation);
        try {
            synchronized (context) {
                Reply refusal = admitProxied(session, context.conversation);
                if (refusal == null) {
                    context.conversation.start();
                } else {
                    context.conversation.startRefused(refusal);
                }
            }
        } finally {
            SessionLog.exit(mdc);
        }
    }

    /**
     * With the PROXY protocol, the connection policy's turn comes once the header was accepted (the PROXY filter
     * holds {@code sessionOpened} back until then), with the client and destination it names; a {@code LOCAL} header
     * names none, so the balancer's own addresses are judged. A refusal is the session's only reply, sent where the
     * greeting would have gone (over TLS on an SMTPS port).
     *
     * @return the policy's refusal, or {@code null} when the session may start
     */
    private static Reply admitProxied(IoSession session, Conversation conversation) {
        ConnectionPolicy policy = (ConnectionPolicy) session.removeAttribute(POLICY_AFTER_PROXY);
        if (policy == null) {
            return null;
        }
        InetSocketAddress local = conversation.session().proxyData()
                .map(ProxyData::destination)
                .orElse((InetSocketAddress) session.getLocalAddress());
        return admit(session, conversation.server(), policy, conversation.session().clientAddress(), local);
    }

    /**
     * Asks {@code policy} about {@code client}; an admission is recorded, so that the policy hears of the close
     * under the same address.
     *
     * @return the policy's refusal (counted and logged), or {@code null}
     */
    private static Reply admit(IoSession session, ServerContext server, ConnectionPolicy policy,
                               InetSocketAddress client, InetSocketAddress local) {
        Reply refusal = policy.admit(client, local);
        if (refusal != null) {
            LOG.info("refusing {} (connected from {}): {}", client, session.getRemoteAddress(), refusal);
            server.metrics().sessionRefused();
            return refusal;
        }
        session.setAttribute(POLICY, new Admitted(policy, client));
        return null;
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        SessionContext context = SessionContext.of(session);
        if (context == null) {
            return; // a refused connection: nothing to talk to
        }
        String[] mdc = SessionLog.enter(context.conversation);
        try {
            synchronized (context) {
                context.conversation.onInput(message);
            }
        } finally {
            SessionLog.exit(mdc);
        }
    }

    @Override
    public void messageSent(IoSession session, Object message) {
        SessionContext context = SessionContext.of(session);
        if (context != null && context.writeSuspended) {
            context.connection.onSent();
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        ForcedClose.cancel(session);
        if (session.removeAttribute(COUNTED) != null) {
            open.decrementAndGet();
        }
        Admitted admitted = (Admitted) session.removeAttribute(POLICY);
        if (admitted != null) {
            admitted.policy.closed(admitted.client);
        }
        SessionContext context = SessionContext.of(session);
        if (context != null) {
            String[] mdc = SessionLog.enter(context.conversation);
            try {
                String summary;
                synchronized (context) {
                    context.conversation.onClosed();
                    context.kept = null;
                    summary = context.conversation.summary(session.getReadBytes(), session.getWrittenBytes());
                }
                context.conversation.server().metrics().sessionClosed(session.getReadBytes());
                LOG.info(summary);
            } finally {
                SessionLog.exit(mdc);
            }
        }
    }

    @Override
    public void event(IoSession session, FilterEvent event) {
        SessionContext context = SessionContext.of(session);
        if (event == SslEvent.SECURED && context != null) {
            synchronized (context) {
                TlsFilters.checkSecured(session, context.conversation);
            }
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        SessionContext context = SessionContext.of(session);
        String[] mdc = context == null ? null : SessionLog.enter(context.conversation);
        try {
            if (cause instanceof java.io.IOException) {
                LOG.debug("{} I/O error: {}", session.getRemoteAddress(), cause.toString());
            } else {
                LOG.warn("{} closing after an unexpected error", session.getRemoteAddress(), cause);
            }
        } finally {
            if (context != null) {
                SessionLog.exit(mdc);
            }
        }
        session.closeNow();
    }

    @Override
    public void inputClosed(IoSession session) {
        session.closeNow(); // the client's end of stream ends the session at once
    }
}
