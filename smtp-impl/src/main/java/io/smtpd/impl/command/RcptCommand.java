package io.smtpd.impl.command;

import java.util.List;
import java.util.Map;

import io.smtpd.api.HookResult;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.parse.ParsedAddress;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/** RCPT TO (RFC 5321 4.1.1.3), as aiosmtpd, with a cap on recipients per transaction. */
public final class RcptCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        if (!c.envelope().inTransaction()) {
            c.reply(Replies.S503_MAIL_NEEDED);
            return;
        }
        boolean esmtp = c.session().extendedSmtp();
        Reply syntaxError = esmtp ? Replies.S501_SYNTAX_RCPT_ESMTP : Replies.S501_SYNTAX_RCPT;
        ParsedAddress parsed = PathArgument.path(c, "TO:", argument, syntaxError);
        if (parsed == null) {
            return;
        }
        PathArgument.ParameterList parameters = PathArgument.parameters(c, parsed, syntaxError);
        if (parameters == null) {
            return;
        }
        List<String> options = parameters.options();
        Map<String, String> params = parameters.byKeyword();
        MailExtensions.Rcpt extensions = MailExtensions.rcpt(c, parsed.address(), parsed.rest(), params);
        if (extensions.refusal() != null) {
            c.reply(extensions.refusal());
            return;
        }
        if (!params.isEmpty()) {
            c.reply(Replies.S555_RCPT_PARAMETERS);
            return;
        }
        if (c.envelope().rcptTos().size() >= c.settings().maxRecipients()) {
            c.reply(Replies.S452_TOO_MANY_RECIPIENTS);
            return;
        }
        String address = parsed.address();
        c.hook(h -> h.handleRcpt(c.session(), c.envelope(), address, options), result -> {
            if (result.kind() != HookResult.Kind.REPLY) {
                c.envelope().rcptTos().add(address);
                c.envelope().rcptOptions().addAll(options);
                if (extensions.dsn() != null) {
                    c.envelope().dsnRecipients().add(extensions.dsn());
                }
            }
            c.replyWith(result, Replies.S250_RECIPIENT_OK);
        });
    }
}
