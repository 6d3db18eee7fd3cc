package io.smtpd.impl.command;

import io.smtpd.api.reply.Replies;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/** RSET (RFC 5321 4.1.1.5): a fresh transaction. */
public final class RsetCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        if (argument != null) {
            c.reply(Replies.S501_SYNTAX_RSET);
            return;
        }
        c.resetTransaction();
        c.hook(h -> h.handleRset(c.session(), c.envelope()), result -> c.replyWith(result, Replies.S250_OK));
    }
}
