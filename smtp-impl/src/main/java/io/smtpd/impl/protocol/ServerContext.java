package io.smtpd.impl.protocol;

import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.smtpd.api.Handler;
import io.smtpd.api.auth.AuthMechanism;
import io.smtpd.api.auth.Authenticator;
import io.smtpd.impl.auth.AuthMechanisms;
import io.smtpd.impl.tls.ServerTls;
import io.smtpd.server.ServerSettings;

/**
 * What all sessions of one server share: settings as they were when the session started, the resolved names,
 * and where the current handler, commands and authenticator come from (fixed in plain Java, the service
 * registry in OSGi).
 */
public final class ServerContext {
    private static final AtomicLong SESSION_IDS = new AtomicLong();

    private final String name;
    private final ServerSettings settings;
    private final String hostname;
    private final String ident;
    private final Supplier<Handler> handlers;
    private final Supplier<CommandTable> commands;
    private final Supplier<Authenticator> authenticators;
    private final Supplier<Map<String, AuthMechanism>> mechanisms;
    private final ScheduledExecutorService timer;
    private final int mailLineLimit;
    private final ServerTls starttls;
    private final ServerTls implicitTls;
    private ServerMetrics metrics = new ServerMetrics();

    /** A server without custom AUTH mechanisms. */
    public ServerContext(String name, ServerSettings settings, String hostname, String ident,
                         Supplier<Handler> handlers, Supplier<CommandTable> commands,
                         Supplier<Authenticator> authenticators, ScheduledExecutorService timer) {
        this(name, settings, hostname, ident, handlers, commands, authenticators, Map::of, timer);
    }

    /**
     * Loads the TLS certificates of {@code settings}, if any.
     *
     * @param mechanisms custom AUTH mechanisms by name, now (whiteboard services in OSGi)
     * @throws IllegalArgumentException when a certificate or key cannot be used (the message names the file)
     */
    public ServerContext(String name, ServerSettings settings, String hostname, String ident,
                         Supplier<Handler> handlers, Supplier<CommandTable> commands,
                         Supplier<Authenticator> authenticators, Supplier<Map<String, AuthMechanism>> mechanisms,
                         ScheduledExecutorService timer) {
        this.starttls = ServerTls.load(settings.starttls());
        this.implicitTls = settings.implicitTls() != null && settings.implicitTls().equals(settings.starttls())
                ? starttls : ServerTls.load(settings.implicitTls());
        this.mechanisms = mechanisms;
        this.name = name;
        this.settings = settings;
        this.hostname = hostname;
        this.ident = ident;
        this.handlers = handlers;
        this.commands = commands;
        this.authenticators = authenticators;
        this.timer = timer;
        int extra = (settings.dataSizeLimit() > 0 ? 26 : 0) + (settings.smtpUtf8() ? 10 : 0);
        this.mailLineLimit = settings.commandLineLimit() + extra;
    }

    public String name() {
        return name;
    }

    public ServerSettings settings() {
        return settings;
    }

    public String hostname() {
        return hostname;
    }

    public String ident() {
        return ident;
    }

    /** The handler new transactions use now, or {@code null} when none is available. */
    public Handler currentHandler() {
        return handlers.get();
    }

    public CommandTable commands() {
        return commands.get();
    }

    /** The authenticator, or {@code null} when AUTH has none (every attempt then fails). */
    public Authenticator authenticator() {
        return authenticators.get();
    }

    /**
     * The EHLO line offering AUTH ({@code AUTH LOGIN PLAIN}, mechanisms sorted), or {@code null} when AUTH is not
     * offered: no authenticator and no custom mechanism, or a plaintext channel while AUTH requires TLS.
     */
    public String authAdvertisement(boolean tls) {
        return AuthMechanisms.advertisement(settings, tls, authenticators.get(), mechanisms.get());
    }

    /** The SASL mechanisms AUTH accepts now, by upper-case name. */
    public SortedMap<String, AuthMechanism> authMechanisms() {
        return AuthMechanisms.available(settings, authenticators.get(), mechanisms.get());
    }

    /** TLS for STARTTLS, or {@code null} when it is not configured. */
    public ServerTls starttls() {
        return starttls;
    }

    /** TLS for implicit TLS (SMTPS), or {@code null}. */
    public ServerTls implicitTls() {
        return implicitTls;
    }

    /** The server's counters: one object for the server's lifetime, shared by every context it makes. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /**
     * Makes this context count into the server's {@code metrics} (a configuration update makes a new context, not
     * new counters). Call it before the context is published to sessions.
     */
    public ServerContext metrics(ServerMetrics metrics) {
        this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
        return this;
    }

    public ScheduledExecutorService timer() {
        return timer;
    }

    public String nextSessionId() {
        return Long.toHexString(SESSION_IDS.incrementAndGet());
    }

    /**
     * The longest command line for {@code verb}, CRLF not counted: after EHLO, MAIL gets RFC 1870's 26 octets
     * and SMTPUTF8's 10 (aiosmtpd's {@code command_size_limits}).
     */
    public int commandLineLimit(String verb, boolean extendedSmtp) {
        return extendedSmtp && "MAIL".equals(verb) ? mailLineLimit : settings.commandLineLimit();
    }

    /** The most octets of one line ever buffered: AUTH responses may be longer than commands. */
    public int hardLineLimit() {
        return Math.max(mailLineLimit + 64, 12 * 1024);
    }
}
