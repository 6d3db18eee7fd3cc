package io.smtpd.impl.command;

import io.smtpd.api.reply.Replies;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/** EXPN (RFC 5321 4.1.1.7): not implemented, as in aiosmtpd; not listed by HELP. */
public final class ExpnCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        c.reply(Replies.S502_EXPN_NOT_IMPLEMENTED);
    }
}
