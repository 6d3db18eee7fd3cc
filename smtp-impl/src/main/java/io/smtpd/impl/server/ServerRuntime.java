package io.smtpd.impl.server;

import java.net.InetAddress;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import io.smtpd.api.auth.Authenticator;
import io.smtpd.impl.auth.FileAuthenticator;
import io.smtpd.impl.command.BuiltinCommands;
import io.smtpd.impl.protocol.CommandTable;
import io.smtpd.server.ServerSettings;

/** What the plain-Java server and the OSGi component derive alike from settings. */
public final class ServerRuntime {
    /** The product name and version in the default greeting. */
    public static final String IDENT = "smtpd 1.0";

    private static volatile String fqdn;

    private ServerRuntime() {
    }

    public static String hostname(ServerSettings settings) {
        return settings.hostname() != null ? settings.hostname() : fqdn();
    }

    public static String ident(ServerSettings settings) {
        return settings.ident() != null ? settings.ident() : IDENT;
    }

    /** The system's fully qualified name, looked up once (Python's {@code socket.getfqdn()}). */
    public static String fqdn() {
        String name = fqdn;
        if (name == null) {
            try {
                name = InetAddress.getLocalHost().getCanonicalHostName();
            } catch (Exception e) {
                name = "localhost";
            }
            fqdn = name;
        }
        return name;
    }

    public static CommandTable.Builder builtins(ServerSettings settings) {
        return BuiltinCommands.table(settings);
    }

    /**
     * The authenticator the settings ask for (the auth file, read now), or {@code null}.
     *
     * @throws IllegalArgumentException naming the file when it is missing, unreadable or malformed
     */
    public static Authenticator authenticatorFor(ServerSettings settings) {
        return settings.authFile() == null ? null : FileAuthenticator.load(settings.authFile());
    }

    /** One timer thread per server for idle timeouts. */
    public static ScheduledThreadPoolExecutor newTimer(String serverName) {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "smtpd-timer-" + serverName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
