package io.smtpd.server;

/**
 * The counters of one server, as a JMX MXBean registered as {@code io.smtpd:type=Server,name=<server name>} (in
 * plain Java by {@link SmtpServer#start()}; in OSGi by the server component, see the README). Counters count since
 * the server started or since {@link #reset()}; {@link #getSessionsOpen()} is a gauge.
 */
public interface ServerStatsMXBean {
    /** The domain and type of the object name: {@code io.smtpd:type=Server,name=...}. */
    String OBJECT_NAME_PREFIX = "io.smtpd:type=Server,name=";

    String getServerName();

    /** {@code host:port} the listener is bound to, or empty when it is not. */
    String getListenAddress();

    long getSessionsOpen();

    long getSessionsTotal();

    /** Connections refused before the greeting (connection cap, connection policy). */
    long getSessionsRefused();

    long getCommands();

    /** Messages answered with a 2xx at the end of DATA (LMTP: one per recipient verdict). */
    long getMessagesAccepted();

    /** Messages answered with a 4xx or 5xx at the end of DATA (size limit, handler refusal, ...). */
    long getMessagesRejected();

    /** Octets received from clients, open sessions included. */
    long getBytesReceived();

    long getReplies2xx();

    long getReplies3xx();

    long getReplies4xx();

    long getReplies5xx();

    long getTlsHandshakes();

    /** Sessions that ended while a TLS handshake was under way. */
    long getTlsFailures();

    long getAuthSuccesses();

    long getAuthFailures();

    /** Handler hooks called (each measured from its call to its completion, asynchronous ones included). */
    long getHandlerCalls();

    long getHandlerTimeTotalMicros();

    long getHandlerTimeMaxMicros();

    /** Zeroes the counters (not the open sessions). */
    void reset();
}
