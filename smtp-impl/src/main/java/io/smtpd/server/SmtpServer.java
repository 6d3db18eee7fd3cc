package io.smtpd.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.smtpd.api.Handler;
import io.smtpd.api.auth.AuthMechanism;
import io.smtpd.api.auth.Authenticator;
import io.smtpd.api.command.CommandInfo;
import io.smtpd.api.command.SmtpCommand;
import io.smtpd.impl.command.BuiltinCommands;
import io.smtpd.impl.mina.SmtpListener;
import io.smtpd.impl.protocol.CommandTable;
import io.smtpd.impl.protocol.ServerContext;
import io.smtpd.impl.server.ServerOperations;
import io.smtpd.impl.server.ServerRuntime;

/**
 * An SMTP server in plain Java, no OSGi needed: aiosmtpd's {@code Controller}. It runs on MINA's I/O threads in
 * the background until {@link #stop()}.
 *
 * <pre>{@code
 * try (SmtpServer server = SmtpServer.builder()
 *         .settings(ServerSettings.builder().host("127.0.0.1").port(8025).build())
 *         .handler(new Sink())
 *         .command(CommandInfo.of("PING", "PING [ignored]"), (ctx, arg) -> HookResult.reply(Reply.of(259, "Pong")))
 *         .build()) {
 *     server.start();
 *     ...
 * }
 * }</pre>
 */
public final class SmtpServer implements RunningServer, AutoCloseable {
    private final String name;
    private final ServerSettings settings;
    private final Supplier<Handler> handlers;
    private final Authenticator authenticator;
    private final Map<String, AuthMechanism> mechanisms;
    private final CommandTable commands;
    private final boolean jmx;
    private ScheduledThreadPoolExecutor timer;
    private volatile SmtpListener listener;
    private volatile ServerContext current;
    /** Counters, sessions, health and the MXBean {@code io.smtpd:type=Server,name=<name>}. */
    private final ServerOperations operations;

    private SmtpServer(Builder b) {
        this.name = b.name;
        this.settings = b.settings;
        this.handlers = b.handlers;
        this.authenticator = b.authenticator != null ? b.authenticator : ServerRuntime.authenticatorFor(settings);
        this.mechanisms = Map.copyOf(b.mechanisms);
        this.commands = BuiltinCommands.withCustom(ServerRuntime.builtins(settings), b.commands).build();
        this.operations = new ServerOperations(name, () -> listener, () -> current);
        this.jmx = b.jmx;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException     when the address cannot be bound
     * @throws IllegalArgumentException when a TLS certificate or key cannot be used (the message names the file)
     */
    public synchronized SmtpServer start() {
        if (listener != null) {
            return this;
        }
        timer = ServerRuntime.newTimer(name);
        ServerContext context;
        try {
            context = new ServerContext(name, settings, ServerRuntime.hostname(settings),
                    ServerRuntime.ident(settings), handlers, () -> commands, () -> authenticator, () -> mechanisms,
                    timer).metrics(operations.metrics());
        } catch (RuntimeException e) { // an unusable certificate or key
            timer.shutdownNow();
            throw e;
        }
        SmtpListener l = new SmtpListener(() -> context);
        try {
            l.start();
        } catch (IOException e) {
            timer.shutdownNow();
            throw new UncheckedIOException(e);
        }
        current = context;
        listener = l;
        if (jmx) {
            operations.registerPlatform();
        }
        return this;
    }

    /** Stops accepting, ends sessions gracefully (421) within a few seconds, and releases the port. */
    public synchronized void stop() {
        if (listener == null) {
            return;
        }
        operations.unregisterPlatform();
        listener.stop(5, TimeUnit.SECONDS);
        listener = null;
        timer.shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized InetSocketAddress localAddress() {
        return listener == null ? null : listener.localAddress();
    }

    @Override
    public ServerSettings settings() {
        return settings;
    }

    @Override
    public synchronized int openSessions() {
        return listener == null ? 0 : listener.openSessions();
    }

    @Override
    public ServerStatsMXBean stats() {
        return operations.stats();
    }

    /** The JMX name the counters are registered under while the server runs, or {@code null}. */
    public javax.management.ObjectName objectName() {
        return operations.registeredName();
    }

    @Override
    public java.util.List<SessionInfo> sessions() {
        return operations.sessions();
    }

    @Override
    public boolean kill(String sessionId) {
        return operations.kill(sessionId);
    }

    @Override
    public ServerHealth health(int warnDays) {
        return operations.health(warnDays);
    }

    /** Builds an {@link SmtpServer}. */
    public static final class Builder {
        private String name = "smtpd";
        private ServerSettings settings = ServerSettings.builder().build();
        private Supplier<Handler> handlers = () -> null;
        private Authenticator authenticator;
        private final Map<CommandInfo, SmtpCommand> commands = new LinkedHashMap<>();
        private final Map<String, AuthMechanism> mechanisms = new LinkedHashMap<>();
        private boolean jmx = true;

        private Builder() {
        }

        /**
         * Whether {@link #start()} registers the counters ({@link ServerStatsMXBean}) in the platform MBean server,
         * as {@code io.smtpd:type=Server,name=<name>} (the port, then a number, appended when that is taken);
         * on by default.
         */
        public Builder jmx(boolean register) {
            this.jmx = register;
            return this;
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder settings(ServerSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The handler for every session. */
        public Builder handler(Handler handler) {
            Objects.requireNonNull(handler, "handler");
            this.handlers = () -> handler;
            return this;
        }

        /** Where each new transaction takes its handler from; {@code null} from it means none is available. */
        public Builder handler(Supplier<Handler> source) {
            this.handlers = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Adds a custom command (aiosmtpd's {@code smtp_VERB} with {@code @syntax}). */
        public Builder command(CommandInfo info, SmtpCommand command) {
            commands.put(Objects.requireNonNull(info, "info"), Objects.requireNonNull(command, "command"));
            return this;
        }

        /** The authenticator for AUTH PLAIN and LOGIN; without one, the settings' auth file is used if any. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /**
         * Adds a SASL mechanism for AUTH under its {@link AuthMechanism#name()} (aiosmtpd's {@code auth_NAME});
         * one named like a built-in (PLAIN, LOGIN) replaces it.
         */
        public Builder authMechanism(AuthMechanism mechanism) {
            mechanisms.put(mechanism.name().toUpperCase(Locale.ROOT), mechanism);
            return this;
        }

        public SmtpServer build() {
            return new SmtpServer(this);
        }
    }
}
