package io.smtpd.impl.command;

import java.util.List;
import java.util.Locale;

import io.smtpd.api.auth.AuthMechanism;
import io.smtpd.api.reply.Replies;
import io.smtpd.impl.auth.StrictBase64;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.SessionState;

/**
 * AUTH (RFC 4954), with aiosmtpd's checks in its order: EHLO first, not after HELO, TLS when required (implicit TLS
 * counts), not twice, one or two arguments; then no transaction under way (RFC 4954 4), a known mechanism, the AUTH
 * hook, the initial response ({@code =} is empty, otherwise strict base64), and the mechanism's exchange.
 */
public final class AuthCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        SessionState session = c.session();
        if (session.hostName() == null) {
            c.reply(Replies.S503_EHLO_FIRST); // aiosmtpd says EHLO, in LMTP too
        } else if (!session.extendedSmtp()) {
            c.reply(Replies.S500_AUTH_UNRECOGNIZED);
        } else if (c.settings().authRequireTls() && !session.isTls()) {
            c.reply(Replies.S538_AUTH_REQUIRES_TLS);
        } else if (session.authenticated()) {
            c.reply(Replies.S503_ALREADY_AUTHENTICATED);
        } else if (argument == null) {
            c.reply(Replies.S501_AUTH_NOT_ENOUGH);
        } else {
            String[] args = argument.strip().split("\\s+");
            if (args.length > 2) {
                c.reply(Replies.S501_AUTH_TOO_MANY);
            } else if (c.envelope().inTransaction()) {
                c.reply(Replies.S503_AUTH_IN_TRANSACTION);
            } else {
                start(c, args);
            }
        }
    }

    private static void start(Conversation c, String[] args) {
        String name = args[0].toUpperCase(Locale.ROOT);
        AuthMechanism mechanism = c.server().authMechanisms().get(name);
        if (mechanism == null) {
            c.reply(Replies.S504_AUTH_UNKNOWN_MECHANISM);
            return;
        }
        List<String> arguments = List.of(args);
        c.hook(h -> h.handleAuth(c.session(), c.envelope(), arguments), result -> {
            if (result.replyValue() != null) {
                c.reply(result.replyValue());
                return;
            }
            byte[] initial = null;
            if (args.length == 2) {
                initial = "=".equals(args[1]) ? new byte[0] : StrictBase64.decode(args[1]);
                if (initial == null) {
                    c.authFailed(Replies.S501_AUTH_BAD_BASE64);
                    return;
                }
            }
            new SaslExchange(c, name).run(mechanism, initial);
        });
    }
}
