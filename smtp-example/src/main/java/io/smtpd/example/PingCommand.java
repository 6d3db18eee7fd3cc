package io.smtpd.example;

import org.osgi.service.component.annotations.Component;

import io.smtpd.api.HookResult;
import io.smtpd.api.command.CommandContext;
import io.smtpd.api.command.SmtpCommand;
import io.smtpd.api.command.SmtpCommandVerb;
import io.smtpd.api.reply.Reply;

/**
 * aiosmtpd's custom command example ({@code @syntax('PING [ignored]') async def smtp_PING}) as a whiteboard
 * service: every server answers {@code PING} with {@code 259 Pong}, and HELP lists it while this bundle runs.
 */
@Component(service = SmtpCommand.class)
@SmtpCommandVerb(verb = "PING", syntax = "PING [ignored]")
public final class PingCommand implements SmtpCommand {
    private static final Reply PONG = Reply.of(259, "Pong");

    @Override
    public HookResult execute(CommandContext context, String argument) {
        return HookResult.reply(PONG);
    }
}
