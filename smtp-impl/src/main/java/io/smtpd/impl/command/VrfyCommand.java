package io.smtpd.impl.command;

import io.smtpd.api.reply.Replies;
import io.smtpd.impl.parse.AddressParser;
import io.smtpd.impl.parse.ParsedAddress;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/** VRFY (RFC 5321 4.1.1.6): {@code 252} unless the hook knows better. */
public final class VrfyCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        if (argument == null) {
            c.reply(Replies.S501_SYNTAX_VRFY);
            return;
        }
        ParsedAddress parsed = c.argumentMalformed() ? null : AddressParser.parse(argument);
        if (parsed == null) {
            c.reply(Replies.couldNotVrfy(argument));
            return;
        }
        String address = parsed.address();
        c.hook(h -> h.handleVrfy(c.session(), c.envelope(), address),
                result -> c.replyWith(result, Replies.S252_CANNOT_VRFY));
    }
}
