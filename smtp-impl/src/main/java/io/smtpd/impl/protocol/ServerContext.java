package io.smtpd.impl.protocol;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.smtpd.api.Handler;
import io.smtpd.api.auth.Authenticator;
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
    private final ScheduledExecutorService timer;
    private final int mailLineLimit;

    public ServerContext(String name, ServerSettings settings, String hostname, String ident,
                         Supplier<Handler> handlers, Supplier<CommandTable> commands,
                         Supplier<Authenticator> authenticators, ScheduledExecutorService timer) {
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
     * The EHLO line offering AUTH ({@code AUTH LOGIN PLAIN}), or {@code null} when AUTH is not offered: no
     * authenticator, or a plaintext channel while AUTH requires TLS.
     */
    public String authAdvertisement(boolean tls) {
        if (authenticators.get() == null || (settings.authRequireTls() && !tls)) {
            return null;
        }
        return "AUTH LOGIN PLAIN";
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
