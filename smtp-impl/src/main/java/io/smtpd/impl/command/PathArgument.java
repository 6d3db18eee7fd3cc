package io.smtpd.impl.command;

import java.util.List;
import java.util.Map;

import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.parse.AddressParser;
import io.smtpd.impl.parse.Parameters;
import io.smtpd.impl.parse.ParsedAddress;
import io.smtpd.impl.protocol.Conversation;

/**
 * The argument of MAIL and RCPT, read in aiosmtpd's order: the keyword ({@code FROM:}, {@code TO:}), the path
 * ({@code 553} when malformed), then the ESMTP parameters. Each step answers the client itself when it fails and
 * returns {@code null}.
 */
final class PathArgument {
    /** The parameters as sent (upper-cased, aiosmtpd's options list) and by keyword. */
    record ParameterList(List<String> options, Map<String, String> byKeyword) {
    }

    private PathArgument() {
    }

    /** The path after {@code keyword}, or {@code null} once the client was answered. */
    static ParsedAddress path(Conversation c, String keyword, String argument, Reply syntaxError) {
        String arg = Keyword.strip(keyword, argument);
        if (arg == null) {
            c.reply(syntaxError);
            return null;
        }
        ParsedAddress parsed = c.argumentMalformed() ? null : AddressParser.parse(arg);
        if (parsed == null) {
            c.reply(Replies.S553_MALFORMED_ADDRESS);
            return null;
        }
        if (parsed.address().isEmpty() || (!c.session().extendedSmtp() && !parsed.rest().isBlank())) {
            c.reply(syntaxError);
            return null;
        }
        return parsed;
    }

    /** The parameters after the path, or {@code null} once the client was answered. */
    static ParameterList parameters(Conversation c, ParsedAddress parsed, Reply syntaxError) {
        List<String> options = Parameters.options(parsed.rest());
        Map<String, String> byKeyword = Parameters.parse(options);
        if (byKeyword == null) {
            c.reply(syntaxError);
            return null;
        }
        return new ParameterList(options, byKeyword);
    }
}
