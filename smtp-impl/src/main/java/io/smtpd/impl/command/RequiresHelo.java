package io.smtpd.impl.command;

import io.smtpd.api.reply.Reply;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/** A precondition: HELO/EHLO/LHLO first ({@code 503 Error: send HELO first}). */
public final class RequiresHelo implements Command {
    private final Command next;
    private final Reply refusal;

    public RequiresHelo(Command next, Reply refusal) {
        this.next = next;
        this.refusal = refusal;
    }

    @Override
    public void execute(Conversation c, String argument) {
        if (c.session().hostName() == null) {
            c.reply(refusal);
            return;
        }
        next.execute(c, argument);
    }
}
