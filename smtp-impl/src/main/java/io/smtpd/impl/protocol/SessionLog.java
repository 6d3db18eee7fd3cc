package io.smtpd.impl.protocol;

import java.net.InetSocketAddress;

import org.slf4j.MDC;

/**
 * The SLF4J MDC of a session: {@value #SESSION} (session id), {@value #SERVER} (server name) and {@value #CLIENT}
 * (the client address, the PROXY protocol's source when there is one). Every entry point where session code runs
 * (I/O events, decoding, hook completions, timers) wraps it in {@link #enter} and {@link #exit}, so every line logged
 * for a session carries them; what the thread had before is restored afterwards.
 */
public final class SessionLog {
    public static final String SESSION = "smtp.session";
    public static final String SERVER = "smtp.server";
    public static final String CLIENT = "smtp.client";

    private SessionLog() {
    }

    /**
     * Puts the session's keys into the MDC.
     *
     * @return what to pass to {@link #exit}: {@code null} when the thread had none of the keys (the usual case)
     */
    public static String[] enter(Conversation conversation) {
        String[] saved = null;
        String session = MDC.get(SESSION);
        if (session != null) {
            saved = new String[] {session, MDC.get(SERVER), MDC.get(CLIENT)};
        }
        MDC.put(SESSION, conversation.session().id());
        MDC.put(SERVER, conversation.server().name());
        MDC.put(CLIENT, conversation.logClient());
        return saved;
    }

    /** Restores the MDC {@link #enter} found. */
    public static void exit(String[] saved) {
        if (saved == null) {
            MDC.remove(SESSION);
            MDC.remove(SERVER);
            MDC.remove(CLIENT);
        } else {
            restore(SESSION, saved[0]);
            restore(SERVER, saved[1]);
            restore(CLIENT, saved[2]);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** {@code 192.0.2.1:25000} (IPv6 in brackets), without a host name lookup. */
    static String format(InetSocketAddress address) {
        if (address == null) {
            return "-";
        }
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
