package io.smtpd.impl.command;

import io.smtpd.api.reply.Replies;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/** NOOP (RFC 5321 4.1.1.9); its argument is ignored. */
public final class NoopCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        c.hook(h -> h.handleNoop(c.session(), c.envelope(), argument), result -> c.replyWith(result, Replies.S250_OK));
    }
}
