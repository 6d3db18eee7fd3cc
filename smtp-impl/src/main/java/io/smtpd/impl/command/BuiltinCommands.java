package io.smtpd.impl.command;

import java.util.Map;

import io.smtpd.api.command.CommandInfo;
import io.smtpd.api.command.SmtpCommand;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.CommandEntry;
import io.smtpd.impl.protocol.CommandTable;
import io.smtpd.server.ServerSettings;

/**
 * The explicit table of built-in verbs with their HELP syntax (aiosmtpd's {@code @syntax} texts), and how custom
 * commands join it. Preconditions are decorators, applied here in aiosmtpd's order: HELO first, then AUTH.
 */
public final class BuiltinCommands {
    private BuiltinCommands() {
    }

    /** The built-in commands for a server with {@code settings}. */
    public static CommandTable.Builder table(ServerSettings settings) {
        boolean lmtp = settings.lmtp();
        Reply helloFirst = Replies.S503_HELO_FIRST; // aiosmtpd says HELO in LMTP too
        CommandTable.Builder table = CommandTable.builder();
        if (lmtp) {
            table.put(CommandEntry.of("LHLO", new EhloCommand(true), "LHLO hostname"));
            table.put(CommandEntry.of("HELO", new NotInLmtpCommand("HELO"), null));
            table.put(CommandEntry.of("EHLO", new NotInLmtpCommand("EHLO"), null));
        } else {
            table.put(CommandEntry.of("HELO", new HeloCommand(), "HELO hostname"));
            table.put(CommandEntry.of("EHLO", new EhloCommand(false), "EHLO hostname"));
        }
        String parameters = " [SP <mail-parameters>]";
        table.put(new CommandEntry("MAIL", transaction(new MailCommand(), helloFirst), "MAIL FROM: <address>",
                parameters, null));
        table.put(new CommandEntry("RCPT", transaction(new RcptCommand(), helloFirst), "RCPT TO: <address>",
                parameters, null));
        table.put(CommandEntry.of("DATA", transaction(new DataCommand(), helloFirst), "DATA"));
        table.put(CommandEntry.of("RSET", new RsetCommand(), "RSET"));
        table.put(CommandEntry.of("NOOP", new NoopCommand(), "NOOP [ignored]"));
        table.put(CommandEntry.of("QUIT", new QuitCommand(), "QUIT"));
        table.put(CommandEntry.of("VRFY", new RequiresAuth(new VrfyCommand()), "VRFY <address>"));
        table.put(CommandEntry.of("EXPN", new ExpnCommand(), null));
        table.put(CommandEntry.of("HELP", new RequiresAuth(new HelpCommand()), "HELP [command]"));
        // aiosmtpd @syntax('STARTTLS', when='tls_context'): always answered (454 without TLS), in HELP only with TLS
        table.put(CommandEntry.of("STARTTLS", new StartTlsCommand(), settings.starttls() != null ? "STARTTLS" : null));
        table.put(CommandEntry.of("AUTH", new AuthCommand(), "AUTH <mechanism>"));
        // beyond aiosmtpd: answered, but not in HELP (its list stays aiosmtpd's)
        if (settings.chunking()) {
            table.put(CommandEntry.of("BDAT", new BdatCommand(), null));
        }
        table.put(CommandEntry.of("XCLIENT", new XclientCommand(), null));
        return table;
    }

    /** Adds custom commands; one that claims a built-in verb replaces it (the caller has ranked them). */
    public static CommandTable.Builder withCustom(CommandTable.Builder table, Map<CommandInfo, SmtpCommand> custom) {
        custom.forEach((info, command) -> table.put(entry(info, command)));
        return table;
    }

    /** The table entry for a custom command, with its preconditions. */
    public static CommandEntry entry(CommandInfo info, SmtpCommand command) {
        Command run = new CustomCommand(command);
        if (info.requiresAuth()) {
            run = new RequiresAuth(run);
        }
        if (info.requiresHelo()) {
            run = new RequiresHelo(run, Replies.S503_HELO_FIRST);
        }
        return new CommandEntry(info.verb(), run, info.syntax(), info.extendedSyntax(), info.ehloKeyword());
    }

    private static Command transaction(Command command, Reply helloFirst) {
        return new RequiresHelo(new RequiresAuth(command), helloFirst);
    }
}
