package io.smtpd.impl.server;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpd.impl.mina.SmtpListener;
import io.smtpd.impl.protocol.ServerContext;
import io.smtpd.impl.protocol.ServerMetrics;
import io.smtpd.impl.tls.ServerTls;
import io.smtpd.server.ServerHealth;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.ServerStatsMXBean;
import io.smtpd.server.SessionInfo;

/**
 * What the plain-Java server and the OSGi component offer operators alike: the counters (and their MXBean), the
 * open sessions, killing one, the health check, and registration in the platform MBean server.
 */
public final class ServerOperations {
    private static final Logger LOG = LoggerFactory.getLogger(ServerOperations.class);

    private final String name;
    private final Supplier<SmtpListener> listener;
    private final Supplier<ServerContext> context;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Stats stats = new Stats();
    private ObjectName registered;

    /**
     * @param listener the listener now ({@code null} when stopped)
     * @param context  the server's settings now
     */
    public ServerOperations(String name, Supplier<SmtpListener> listener, Supplier<ServerContext> context) {
        this.name = name;
        this.listener = listener;
        this.context = context;
    }

    /** The counters every context of the server shares ({@link ServerContext#metrics(ServerMetrics)}). */
    public ServerMetrics metrics() {
        return metrics;
    }

    public ServerStatsMXBean stats() {
        return stats;
    }

    public List<SessionInfo> sessions() {
        SmtpListener l = listener.get();
        return l == null ? List.of() : l.sessions();
    }

    public boolean kill(String sessionId) {
        SmtpListener l = listener.get();
        return l != null && l.kill(sessionId);
    }

    // ---- JMX -----------------------------------------------------------------------------------------------------

    /** {@code io.smtpd:type=Server,name=<name>}, the name quoted when it needs to be. */
    public static ObjectName objectName(String serverName) {
        try {
            ObjectName plain = tryName(serverName);
            return plain != null ? plain
                    : new ObjectName(ServerStatsMXBean.OBJECT_NAME_PREFIX + ObjectName.quote(serverName));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(serverName, e);
        }
    }

    private static ObjectName tryName(String serverName) {
        if (!serverName.matches("[A-Za-z0-9._@#+-]+")) {
            return null;
        }
        try {
            return new ObjectName(ServerStatsMXBean.OBJECT_NAME_PREFIX + serverName);
        } catch (MalformedObjectNameException e) {
            return null;
        }
    }

    /**
     * Registers the MXBean in the platform MBean server. When the name is taken (two servers of one name), the
     * port is appended ({@code name=smtpd-8025}), then a counter.
     *
     * @return the name it got, or {@code null} when registration failed (logged; the server runs anyway)
     */
    public synchronized ObjectName registerPlatform() {
        if (registered != null) {
            return registered;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        InetSocketAddress address = listenAddress();
        List<String> candidates = new ArrayList<>();
        candidates.add(name);
        if (address != null) {
            candidates.add(name + "-" + address.getPort());
        }
        for (int i = 2; i < 100; i++) {
            candidates.add(name + "-" + i);
        }
        for (String candidate : candidates) {
            ObjectName objectName = objectName(candidate);
            try {
                server.registerMBean(stats, objectName);
                registered = objectName;
                LOG.debug("{}: MBean {}", name, objectName);
                return objectName;
            } catch (InstanceAlreadyExistsException taken) {
                // try the next name
            } catch (Exception e) {
                LOG.warn("{}: cannot register the MBean {}: {}", name, objectName, e.toString());
                return null;
            }
        }
        return null;
    }

    /** The name {@link #registerPlatform()} registered, or {@code null}. */
    public synchronized ObjectName registeredName() {
        return registered;
    }

    public synchronized void unregisterPlatform() {
        if (registered == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
        } catch (Exception e) {
            LOG.debug("{}: unregistering {}: {}", name, registered, e.toString());
        }
        registered = null;
    }

    // ---- health --------------------------------------------------------------------------------------------------

    public ServerHealth health(int warnDays) {
        SmtpListener l = listener.get();
        InetSocketAddress address = l == null ? null : l.localAddress();
        boolean bound = l != null && l.isRunning() && address != null;
        ServerContext ctx = context.get();
        boolean handler = ctx != null && ctx.currentHandler() != null;
        List<String> problems = new ArrayList<>();
        ServerHealth.Status status = ServerHealth.Status.UP;
        if (!bound) {
            problems.add("listener not bound");
            status = ServerHealth.Status.DOWN;
        }
        if (!handler) {
            problems.add("no handler available (new transactions get 451)");
            status = worse(status, ServerHealth.Status.WARN);
        }
        List<ServerHealth.CertificateExpiry> certificates = new ArrayList<>();
        if (ctx != null) {
            ServerSettings settings = ctx.settings();
            status = certificate("starttls", settings.starttls(), warnDays, certificates, problems, status);
            if (settings.implicitTls() != null && !settings.implicitTls().equals(settings.starttls())) {
                status = certificate("implicit-tls", settings.implicitTls(), warnDays, certificates, problems, status);
            } else if (settings.implicitTls() != null) {
                ServerHealth.CertificateExpiry same = certificates.get(certificates.size() - 1);
                certificates.add(new ServerHealth.CertificateExpiry("implicit-tls", same.subject(), same.notAfter(),
                        same.daysLeft()));
            }
        }
        return new ServerHealth(name, status, bound, address, handler, List.copyOf(certificates),
                List.copyOf(problems));
    }

    private static ServerHealth.Status certificate(String use, ServerSettings.TlsSettings tls, int warnDays,
                                                   List<ServerHealth.CertificateExpiry> out, List<String> problems,
                                                   ServerHealth.Status status) {
        if (tls == null) {
            return status;
        }
        Path file = tls.source();
        X509Certificate leaf;
        try {
            leaf = ServerTls.certificateOf(tls);
        } catch (RuntimeException e) {
            problems.add(use + " certificate " + file + " unreadable: " + e.getMessage());
            return worse(status, ServerHealth.Status.WARN);
        }
        Instant notAfter = leaf.getNotAfter().toInstant();
        Duration left = Duration.between(Instant.now(), notAfter);
        long days = left.isNegative() ? -Duration.between(notAfter, Instant.now()).toDays() - 1 : left.toDays();
        out.add(new ServerHealth.CertificateExpiry(use, leaf.getSubjectX500Principal().getName(), notAfter, days));
        if (left.isNegative()) {
            problems.add(use + " certificate expired on " + notAfter);
            return worse(status, ServerHealth.Status.DOWN);
        }
        if (days < warnDays) {
            problems.add(use + " certificate expires in " + days + " days (" + notAfter + ")");
            return worse(status, ServerHealth.Status.WARN);
        }
        return status;
    }

    private static ServerHealth.Status worse(ServerHealth.Status a, ServerHealth.Status b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private InetSocketAddress listenAddress() {
        SmtpListener l = listener.get();
        return l == null ? null : l.localAddress();
    }

    /** The MXBean: reads the counters, the open sessions' own byte counts added. */
    private final class Stats implements ServerStatsMXBean {
        @Override
        public String getServerName() {
            return name;
        }

        @Override
        public String getListenAddress() {
            InetSocketAddress address = listenAddress();
            return address == null ? "" : address.getAddress().getHostAddress() + ":" + address.getPort();
        }

        @Override
        public long getSessionsOpen() {
            return metrics.sessionsOpen();
        }

        @Override
        public long getSessionsTotal() {
            return metrics.sessionsTotal();
        }

        @Override
        public long getSessionsRefused() {
            return metrics.sessionsRefused();
        }

        @Override
        public long getCommands() {
            return metrics.commands();
        }

        @Override
        public long getMessagesAccepted() {
            return metrics.messagesAccepted();
        }

        @Override
        public long getMessagesRejected() {
            return metrics.messagesRejected();
        }

        @Override
        public long getBytesReceived() {
            SmtpListener l = listener.get();
            return metrics.bytesReceivedClosed() + (l == null ? 0 : l.openBytesReceived());
        }

        @Override
        public long getReplies2xx() {
            return metrics.replies2xx();
        }

        @Override
        public long getReplies3xx() {
            return metrics.replies3xx();
        }

        @Override
        public long getReplies4xx() {
            return metrics.replies4xx();
        }

        @Override
        public long getReplies5xx() {
            return metrics.replies5xx();
        }

        @Override
        public long getTlsHandshakes() {
            return metrics.tlsHandshakes();
        }

        @Override
        public long getTlsFailures() {
            return metrics.tlsFailures();
        }

        @Override
        public long getAuthSuccesses() {
            return metrics.authSuccesses();
        }

        @Override
        public long getAuthFailures() {
            return metrics.authFailures();
        }

        @Override
        public long getHandlerCalls() {
            return metrics.handlerCalls();
        }

        @Override
        public long getHandlerTimeTotalMicros() {
            return metrics.handlerNanos() / 1000;
        }

        @Override
        public long getHandlerTimeMaxMicros() {
            return metrics.handlerMaxNanos() / 1000;
        }

        @Override
        public void reset() {
            metrics.reset();
        }

        @Override
        public String toString() {
            return "ServerStats[" + name + "]";
        }
    }
}
