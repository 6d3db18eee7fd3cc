package io.smtpd.impl.command;

import io.smtpd.api.reply.Replies;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;

/**
 * STARTTLS (RFC 3207), as aiosmtpd's {@code smtp_STARTTLS}: {@code 501} with an argument, {@code 503} inside TLS
 * (STARTTLS or implicit; the session goes on), {@code 454} without a certificate, else {@code 220} in clear and the
 * handshake. The conversation discards what the client pipelined after the command and starts the session afresh
 * once the handshake completed.
 */
public final class StartTlsCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        if (argument != null) {
            c.reply(Replies.S501_SYNTAX_STARTTLS);
        } else if (c.session().isTls()) {
            c.reply(Replies.S503_TLS_ACTIVE);
        } else if (c.server().starttls() == null) {
            c.reply(Replies.S454_TLS_NOT_AVAILABLE);
        } else {
            c.startTls(Replies.S220_READY_TLS);
        }
    }
}
