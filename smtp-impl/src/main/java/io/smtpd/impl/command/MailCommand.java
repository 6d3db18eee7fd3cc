package io.smtpd.impl.command;

import java.util.List;
import java.util.Map;

import io.smtpd.api.HookResult;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.parse.Parameters;
import io.smtpd.impl.parse.ParsedAddress;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.server.ServerSettings;

/** MAIL FROM (RFC 5321 4.1.1.2) with SIZE (RFC 1870), BODY (RFC 6152) and SMTPUTF8 (RFC 6531), as aiosmtpd. */
public final class MailCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        boolean esmtp = c.session().extendedSmtp();
        Reply syntaxError = esmtp ? Replies.S501_SYNTAX_MAIL_ESMTP : Replies.S501_SYNTAX_MAIL;
        ParsedAddress parsed = PathArgument.path(c, "FROM:", argument, syntaxError);
        if (parsed == null) {
            return;
        }
        if (c.envelope().inTransaction()) {
            c.reply(Replies.S503_NESTED_MAIL);
            return;
        }
        PathArgument.ParameterList parameters = PathArgument.parameters(c, parsed, syntaxError);
        if (parameters == null) {
            return;
        }
        List<String> options = parameters.options();
        Map<String, String> params = parameters.byKeyword();
        boolean smtpUtf8 = params.containsKey("SMTPUTF8");
        MailExtensions.Mail extensions = MailExtensions.mail(c, parsed.rest(), params);
        if (extensions.refusal() != null) {
            c.reply(extensions.refusal());
            return;
        }
        Reply refusal = checkParameters(c.settings(), params, syntaxError);
        if (refusal != null) {
            c.reply(refusal);
            return;
        }
        if (!c.bindTransactionHandler()) {
            c.reply(Replies.S451_NO_HANDLER);
            return;
        }
        String address = parsed.address();
        c.envelope().setSmtpUtf8(smtpUtf8);
        c.hook(h -> h.handleMail(c.session(), c.envelope(), address, options), result -> {
            if (result.kind() != HookResult.Kind.REPLY) {
                c.envelope().setMailFrom(address);
                c.envelope().mailOptions().addAll(options);
                extensions.apply(c.envelope());
            }
            c.replyWith(result, Replies.S250_SENDER_OK);
        });
    }

    /** Removes the parameters the server understands; what is left is unknown (555). */
    private static Reply checkParameters(ServerSettings settings, Map<String, String> params, Reply syntaxError) {
        if (!settings.decodeData()) {
            String body = params.remove("BODY");
            if (body != null && !body.equals("7BIT") && !body.equals("8BITMIME")) {
                return Replies.S501_BODY;
            }
        }
        String smtpUtf8 = params.remove("SMTPUTF8");
        if (smtpUtf8 != null && !smtpUtf8.equals(Parameters.NO_VALUE)) {
            return Replies.S501_SMTPUTF8_NO_ARGUMENTS;
        }
        if (smtpUtf8 != null && !settings.smtpUtf8()) {
            return Replies.S501_SMTPUTF8_DISABLED;
        }
        String size = params.remove("SIZE");
        if (size != null) {
            if (size.equals(Parameters.NO_VALUE) || !size.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                return syntaxError;
            }
            if (settings.dataSizeLimit() > 0 && exceeds(size, settings.dataSizeLimit())) {
                return Replies.S552_SIZE_EXCEEDED;
            }
        }
        return params.isEmpty() ? null : Replies.S555_MAIL_PARAMETERS;
    }

    private static boolean exceeds(String digits, long limit) {
        String trimmed = digits.replaceFirst("^0+(?=.)", "");
        return trimmed.length() > 18 || Long.parseLong(trimmed) > limit;
    }
}
