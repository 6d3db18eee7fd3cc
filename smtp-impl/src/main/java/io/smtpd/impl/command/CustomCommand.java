package io.smtpd.impl.command;

import io.smtpd.api.command.SmtpCommand;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/** Runs an {@link SmtpCommand} service (aiosmtpd's {@code smtp_VERB}); its result must carry a reply. */
public final class CustomCommand implements Command {
    private final SmtpCommand command;

    public CustomCommand(SmtpCommand command) {
        this.command = command;
    }

    @Override
    public void execute(Conversation c, String argument) {
        c.answer(command.execute(c, argument));
    }
}
