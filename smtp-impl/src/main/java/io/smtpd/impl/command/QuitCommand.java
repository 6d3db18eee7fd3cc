package io.smtpd.impl.command;

import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/** QUIT (RFC 5321 4.1.1.10): the reply, then the connection closes, whatever the hook answered. */
public final class QuitCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        if (argument != null) {
            c.reply(Replies.S501_SYNTAX_QUIT);
            return;
        }
        c.hook(h -> h.handleQuit(c.session(), c.envelope()), result -> {
            Reply reply = result.replyValue() == null ? Replies.S221_BYE : result.replyValue();
            c.reply(reply.closing());
        });
    }
}
