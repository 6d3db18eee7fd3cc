package io.smtpd.server;

import java.net.InetSocketAddress;

/**
 * A server that is bound and serving. The plain-Java {@link SmtpServer} is one; in OSGi each configured server
 * registers itself as a service of this interface, with the property {@link #NAME}, once its port is open.
 */
public interface RunningServer {
    /** Service property: the server's name (the name part of its factory configuration's PID). */
    String NAME = "smtp.server.name";

    /** The server's name. */
    String name();

    /** The address the listener is bound to (the real port when 0 was asked for). */
    InetSocketAddress localAddress();

    /** The settings it serves with. */
    ServerSettings settings();

    /** Sessions open now. */
    int openSessions();

    /** The server's counters, also registered as a JMX MXBean; {@code null} when the implementation keeps none. */
    default ServerStatsMXBean stats() {
        return null;
    }

    /** The open sessions, now. */
    default java.util.List<SessionInfo> sessions() {
        return java.util.List.of();
    }

    /**
     * Ends a session at once with {@code 421} (a command or a message under way is abandoned).
     *
     * @return whether a session with that id was open
     */
    default boolean kill(String sessionId) {
        return false;
    }

    /**
     * The listener bound, a handler present, the TLS certificates' expiry.
     *
     * @param warnDays a certificate expiring within this many days makes the status WARN
     */
    default ServerHealth health(int warnDays) {
        InetSocketAddress address = localAddress();
        return new ServerHealth(name(), address != null ? ServerHealth.Status.UP : ServerHealth.Status.DOWN,
                address != null, address, true, java.util.List.of(),
                address != null ? java.util.List.of() : java.util.List.of("listener not bound"));
    }

    /** {@link #health(int)} with {@link ServerHealth#DEFAULT_WARN_DAYS}. */
    default ServerHealth health() {
        return health(ServerHealth.DEFAULT_WARN_DAYS);
    }
}
