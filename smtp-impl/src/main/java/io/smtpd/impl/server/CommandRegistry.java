package io.smtpd.impl.server;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpd.api.command.CommandInfo;
import io.smtpd.api.command.SmtpCommand;
import io.smtpd.impl.command.BuiltinCommands;
import io.smtpd.impl.protocol.CommandTable;
import io.smtpd.server.ServerSettings;

/**
 * Custom commands from the whiteboard joined with the built-in verbs into one {@link CommandTable} snapshot,
 * rebuilt whenever a command service comes or goes. For a verb claimed twice the highest ranking wins; a built-in
 * verb counts as ranking 0, so a service overrides it only with a positive ranking. Shadowed claims are logged.
 */
final class CommandRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRegistry.class);

    private final RankedServices<SmtpCommand> services = new RankedServices<>();
    private volatile ServerSettings settings;
    private volatile CommandTable table = CommandTable.builder().build();

    void builtins(ServerSettings settings) {
        this.settings = settings;
        rebuild();
    }

    void add(SmtpCommand command, Map<String, Object> properties) {
        services.add(command, properties);
        rebuild();
    }

    void remove(SmtpCommand command) {
        services.remove(command);
        rebuild();
    }

    CommandTable table() {
        return table;
    }

    private synchronized void rebuild() {
        ServerSettings s = settings;
        if (s == null) {
            return;
        }
        CommandTable.Builder builder = ServerRuntime.builtins(s);
        java.util.Set<String> claimed = new java.util.HashSet<>();
        for (RankedServices.Entry<SmtpCommand> entry : services.all()) {
            CommandInfo info;
            try {
                info = CommandInfo.fromProperties(entry.properties());
            } catch (IllegalArgumentException e) {
                LOG.warn("ignoring SmtpCommand service without a valid verb: {}", e.getMessage());
                continue;
            }
            if (!claimed.add(info.verb())) {
                LOG.info("command {} (ranking {}) is shadowed by a higher-ranked service", info.verb(),
                        entry.ranking());
                continue;
            }
            if (builder.contains(info.verb()) && entry.ranking() <= 0) {
                LOG.info("command service {} is shadowed by the built-in verb (give it a positive "
                        + "service.ranking to override)", info.verb());
                continue;
            }
            builder.put(BuiltinCommands.entry(info, entry.service()));
            LOG.debug("command {} available", info.verb());
        }
        table = builder.build();
    }
}
