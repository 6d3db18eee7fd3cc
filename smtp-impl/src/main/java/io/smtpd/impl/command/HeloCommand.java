package io.smtpd.impl.command;

import io.smtpd.api.HookResult;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/** HELO (RFC 5321 4.1.1.1): starts a plain SMTP session. */
public final class HeloCommand implements Command {
    @Override
    public void execute(Conversation c, String hostname) {
        if (hostname == null) {
            c.reply(Replies.S501_SYNTAX_HELO);
            return;
        }
        c.resetTransaction();
        c.extendedSmtp(false);
        c.hook(h -> h.handleHelo(c.session(), c.envelope(), hostname), result -> {
            if (result.kind() == HookResult.Kind.REPLY) {
                c.reply(result.replyValue());
                return;
            }
            c.session().setHostName(hostname);
            c.replyWith(result, Reply.of(250, c.server().hostname()));
        });
    }
}
