package io.smtpd.api.command;

import io.smtpd.api.HookResult;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A custom SMTP command: aiosmtpd's {@code smtp_VERB} method. In OSGi it is a whiteboard service whose verb and
 * syntax are service properties (use {@link SmtpCommandVerb} on a DS component); in plain Java it is registered
 * on the server builder with a {@link CommandInfo}.
 *
 * <pre>{@code
 * @Component(service = SmtpCommand.class)
 * @SmtpCommandVerb(verb = "PING", syntax = "PING [ignored]")
 * public final class PingCommand implements SmtpCommand {
 *     public HookResult execute(CommandContext context, String argument) {
 *         return HookResult.reply(Reply.of(259, "Pong"));
 *     }
 * }
 * }</pre>
 */
@ConsumerType
public interface SmtpCommand {
    /** Service property: the verb, case-insensitive, for example {@code PING}. */
    String VERB = "smtp.command.verb";
    /** Service property: the syntax HELP shows ({@code @syntax(text)}). Without it the command is not listed. */
    String SYNTAX = "smtp.command.syntax";
    /** Service property: the text HELP appends after EHLO ({@code @syntax(extended=...)}). */
    String EXTENDED_SYNTAX = "smtp.command.extendedSyntax";
    /** Service property: a keyword this command adds to the EHLO reply, for example {@code XPING}. */
    String EHLO_KEYWORD = "smtp.command.ehloKeyword";
    /** Service property: whether the command needs HELO/EHLO first ({@code 503} otherwise). */
    String REQUIRES_HELO = "smtp.command.requiresHelo";
    /** Service property: whether the command needs AUTH first when the server requires it ({@code 530}). */
    String REQUIRES_AUTH = "smtp.command.requiresAuth";

    /**
     * Runs the command. {@code argument} is the text after the verb, trimmed, or {@code null} when there is none.
     * The result must carry a reply ({@link HookResult#reply}) or come {@link HookResult#later}.
     */
    HookResult execute(CommandContext context, String argument);
}
