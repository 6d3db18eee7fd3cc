package io.smtpd.impl.command;

import java.util.Locale;

import io.smtpd.api.reply.Reply;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.CommandEntry;
import io.smtpd.impl.protocol.CommandTable;
import io.smtpd.impl.protocol.Conversation;

/**
 * HELP (RFC 5321 4.1.1.8), built from each command's syntax as aiosmtpd's {@code @syntax}: {@code HELP} lists the
 * commands, {@code HELP verb} shows its syntax, an unknown verb gets {@code 501} and the list.
 */
public final class HelpCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        CommandTable table = c.server().commands();
        int code = 250;
        if (argument != null) {
            CommandEntry entry = table.get(argument.toUpperCase(Locale.ROOT));
            if (entry != null && entry.syntax() != null) {
                String syntax = entry.syntax();
                if (c.session().extendedSmtp() && entry.extendedSyntax() != null) {
                    syntax += entry.extendedSyntax();
                }
                c.reply(Reply.of(250, "2.0.0", "Syntax: " + syntax));
                return;
            }
            code = 501;
        }
        c.reply(Reply.of(code, code == 250 ? "2.0.0" : "5.5.4",
                "Supported commands: " + String.join(" ", table.helpVerbs())));
    }
}
