package io.smtpd.impl.mina;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.transport.socket.SocketSessionConfig;
import org.apache.mina.core.service.SimpleIoProcessorPool;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpd.api.ConnectionPolicy;
import io.smtpd.api.reply.Replies;
import io.smtpd.impl.server.ClientLimits;
import io.smtpd.impl.protocol.ServerContext;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SessionInfo;

/**
 * One bound listener: a MINA {@link NioSocketAcceptor} with the SMTP filter chain. The only place that builds the
 * chain.
 */
public final class SmtpListener {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);
    private static final io.smtpd.api.reply.Reply KILLED =
            io.smtpd.api.reply.Reply.parse("421 4.3.2 Connection closed by the administrator").closing();

    private final Supplier<ServerContext> contexts;
    private final SmtpIoHandler handler;
    private NioSocketAcceptor acceptor;
    private SimpleIoProcessorPool<NioSession> processors;
    private InetSocketAddress bound;

    public SmtpListener(Supplier<ServerContext> contexts) {
        this(contexts, null);
    }

    /**
     * @param policies the connection policy; {@code null} for the default per-client limits of the settings
     */
    public SmtpListener(Supplier<ServerContext> contexts, Supplier<ConnectionPolicy> policies) {
        this.contexts = contexts;
        this.handler = new SmtpIoHandler(contexts, policies != null ? policies : defaultPolicy(contexts));
    }

    /** Per-client limits from the settings, made anew when the settings change (a configuration update). */
    public static Supplier<ConnectionPolicy> defaultPolicy(Supplier<ServerContext> contexts) {
        AtomicReference<ServerSettings> seen = new AtomicReference<>();
        AtomicReference<ConnectionPolicy> policy = new AtomicReference<>();
        return () -> {
            ServerSettings settings = contexts.get().settings();
            if (seen.get() != settings) {
                synchronized (policy) {
                    if (seen.get() != settings) {
                        policy.set(new ClientLimits(settings.maxConnectionsPerClient(),
                                settings.connectionRatePerClient()));
                        seen.set(settings);
                    }
                }
            }
            return policy.get();
        };
    }

    /** Binds and starts accepting. */
    public synchronized void start() throws IOException {
        start(contexts.get().settings().bindAddress());
    }

    /** Binds to {@code address} (a rebind binds before the new settings take over) and starts accepting. */
    public synchronized void start(InetSocketAddress address) throws IOException {
        ServerContext server = contexts.get();
        ServerSettings settings = server.settings();
        int threads = settings.ioThreads() > 0 ? settings.ioThreads() : Runtime.getRuntime().availableProcessors();
        SimpleIoProcessorPool<NioSession> pool = new SimpleIoProcessorPool<>(LeanNioProcessor.class, threads);
        NioSocketAcceptor nio = new NioSocketAcceptor(pool);
        nio.setReuseAddress(true);
        nio.setBacklog(1024);
        nio.setCloseOnDeactivation(false); // sessions are ended gracefully by stop()
        // MINA's service-wide statistics take one lock (shared by every I/O thread) and read the clock on each read
        // and write; ServerMetrics counts what we report, and the per-session byte counts are kept regardless
        nio.getStatistics().getConfig().setStatisticsCalcEnabled(false);
        SocketSessionConfig config = nio.getSessionConfig();
        config.setTcpNoDelay(true);
        // MINA grows the read buffer while reads fill it (large messages) and shrinks it to the minimum after short
        // reads; a minimum that holds a small message with its commands saves a read per message
        config.setReadBufferSize(4096);
        config.setMinReadBufferSize(2048);
        nio.getFilterChain().addLast("codec", new ProtocolCodecFilter(new SmtpCodecFactory(
                settings.enhancedStatusCodes())));
        if (settings.proxyProtocolTimeout() != null) {
            // first of all, "ssl" included: the PROXY header precedes the TLS handshake; keep this the last addition
            nio.getFilterChain().addFirst(ProxyProtocolFilter.NAME, new ProxyProtocolFilter());
        }
        nio.setHandler(handler);
        try {
            nio.bind(address);
        } catch (IOException | RuntimeException e) {
            nio.dispose(false);
            pool.dispose();
            throw e instanceof IOException ? (IOException) e
                    : new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
        acceptor = nio;
        processors = pool;
        bound = (InetSocketAddress) nio.getLocalAddress();
        LOG.info("{} listening on {}", server.name(), bound);
    }

    public synchronized InetSocketAddress localAddress() {
        return bound;
    }

    public int openSessions() {
        return handler.openSessions();
    }

    public synchronized boolean isRunning() {
        return acceptor != null;
    }

    private synchronized NioSocketAcceptor acceptor() {
        return acceptor;
    }

    /** A snapshot of the open sessions (refused connections not included). */
    public java.util.List<SessionInfo> sessions() {
        NioSocketAcceptor nio = acceptor();
        if (nio == null) {
            return java.util.List.of();
        }
        java.util.List<SessionInfo> out = new java.util.ArrayList<>();
        for (IoSession session : nio.getManagedSessions().values()) {
            SessionContext context = SessionContext.of(session);
            if (context == null || context.conversation == null) {
                continue;
            }
            String id;
            InetSocketAddress client;
            String state;
            synchronized (context) {
                id = context.conversation.session().id();
                client = context.conversation.session().clientAddress();
                state = context.conversation.stateName();
            }
            out.add(new SessionInfo(id, context.conversation.server().name(), client,
                    (InetSocketAddress) session.getRemoteAddress(), state,
                    java.time.Instant.ofEpochMilli(session.getCreationTime()), session.getReadBytes(),
                    session.getWrittenBytes()));
        }
        out.sort(java.util.Comparator.comparing(SessionInfo::started));
        return out;
    }

    /**
     * Ends the session {@code sessionId} now with {@code 421} (an operator's decision).
     *
     * @return whether such a session was open
     */
    public boolean kill(String sessionId) {
        NioSocketAcceptor nio = acceptor();
        if (nio == null) {
            return false;
        }
        for (IoSession session : nio.getManagedSessions().values()) {
            SessionContext context = SessionContext.of(session);
            if (context == null || context.conversation == null
                    || !context.conversation.session().id().equals(sessionId)) {
                continue;
            }
            LOG.info("{} session {} killed by an operator", context.conversation.server().name(), sessionId);
            context.connection.execute(() -> context.conversation.kill(KILLED));
            if (context.conversation.isClosed() || session.isClosing()) {
                ForcedClose.after(session, context.conversation.server().timer());
            }
            return true;
        }
        return false;
    }

    /** Octets received by the open sessions so far. */
    public long openBytesReceived() {
        NioSocketAcceptor nio = acceptor();
        if (nio == null) {
            return 0;
        }
        long sum = 0;
        for (IoSession session : nio.getManagedSessions().values()) {
            if (SessionContext.of(session) != null) {
                sum += session.getReadBytes();
            }
        }
        return sum;
    }

    /**
     * Stops accepting, tells idle sessions {@code 421} and waits up to {@code grace} for sessions busy with a
     * command or a message; what is left then is closed, and a message not completed is never delivered.
     */
    public synchronized void stop(long grace, TimeUnit unit) {
        NioSocketAcceptor nio = acceptor;
        if (nio == null) {
            return;
        }
        acceptor = null;
        nio.unbind();
        for (IoSession session : nio.getManagedSessions().values()) {
            SessionContext context = SessionContext.of(session);
            if (context == null) {
                session.closeNow();
                continue;
            }
            context.connection.execute(() -> context.conversation.shutdown(Replies.S421_SHUTTING_DOWN));
        }
        long deadline = System.nanoTime() + unit.toNanos(grace);
        while (!nio.getManagedSessions().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (IoSession session : nio.getManagedSessions().values()) {
            session.closeNow();
        }
        nio.dispose(true);
        processors.dispose(); // an acceptor does not dispose a processor pool it did not create
        processors = null;
        LOG.info("{} stopped", contexts.get().name());
    }
}
