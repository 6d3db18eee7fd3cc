package io.smtpd.impl.command;

import io.smtpd.api.reply.Replies;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/** HELO and EHLO in an LMTP server (RFC 2033 4.1): refused as aiosmtpd's LMTP class refuses them. */
public final class NotInLmtpCommand implements Command {
    private final String verb;

    public NotInLmtpCommand(String verb) {
        this.verb = verb;
    }

    @Override
    public void execute(Conversation c, String argument) {
        c.reply(Replies.unrecognized(verb));
    }
}
