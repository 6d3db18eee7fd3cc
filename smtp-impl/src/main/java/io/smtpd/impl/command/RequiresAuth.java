package io.smtpd.impl.command;

import io.smtpd.api.reply.Replies;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/** A precondition: with AUTH required, a successful AUTH first ({@code 530 5.7.0 Authentication required}). */
public final class RequiresAuth implements Command {
    private final Command next;

    public RequiresAuth(Command next) {
        this.next = next;
    }

    @Override
    public void execute(Conversation c, String argument) {
        if (c.settings().authRequired() && !c.session().authenticated()) {
            c.reply(Replies.S530_AUTH_REQUIRED);
            return;
        }
        next.execute(c, argument);
    }
}
