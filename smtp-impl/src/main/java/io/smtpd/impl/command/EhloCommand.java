package io.smtpd.impl.command;

import java.util.ArrayList;
import java.util.List;

import io.smtpd.api.HookResult;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.server.ServerSettings;

/**
 * EHLO (RFC 5321 4.1.1.1), and LHLO for LMTP (RFC 2033 4.1): the greeting with the extensions this server offers,
 * in aiosmtpd's order, {@code HELP} last. The hook may edit the lines.
 */
public final class EhloCommand implements Command {
    private final boolean lhlo;

    public EhloCommand(boolean lhlo) {
        this.lhlo = lhlo;
    }

    @Override
    public void execute(Conversation c, String hostname) {
        if (hostname == null) {
            c.reply(lhlo ? Replies.S501_SYNTAX_LHLO : Replies.S501_SYNTAX_EHLO);
            return;
        }
        c.resetTransaction();
        c.extendedSmtp(true);
        List<String> lines = extensions(c);
        c.hook(h -> lhlo ? h.handleLhlo(c.session(), c.envelope(), hostname, lines)
                : h.handleEhlo(c.session(), c.envelope(), hostname, lines), result -> {
                    if (result.kind() == HookResult.Kind.REPLY) {
                        c.reply(result.replyValue());
                        return;
                    }
                    c.session().setHostName(hostname);
                    c.replyWith(result, Reply.of(250, lines));
                });
    }

    private static List<String> extensions(Conversation c) {
        ServerSettings settings = c.settings();
        List<String> lines = new ArrayList<>(12);
        lines.add(c.server().hostname());
        if (settings.dataSizeLimit() > 0) {
            lines.add("SIZE " + settings.dataSizeLimit());
        }
        if (!settings.decodeData()) {
            lines.add("8BITMIME");
        }
        if (settings.smtpUtf8()) {
            lines.add("SMTPUTF8");
        }
        if (settings.starttls() != null && !c.session().isTls()) {
            lines.add("STARTTLS");
        }
        String auth = c.server().authAdvertisement(c.session().isTls());
        if (auth != null) {
            lines.add(auth);
        }
        lines.add("PIPELINING");
        if (settings.chunking()) {
            lines.add("CHUNKING");
            if (!settings.decodeData()) {
                lines.add("BINARYMIME");
            }
        }
        if (settings.dsn()) {
            lines.add("DSN");
        }
        if (settings.enhancedStatusCodes()) {
            lines.add("ENHANCEDSTATUSCODES");
        }
        if (settings.requireTlsExtension() && c.session().isTls()) {
            lines.add("REQUIRETLS");
        }
        if (XclientCommand.trusted(c)) {
            lines.add("XCLIENT " + XclientCommand.ATTRIBUTES);
        }
        lines.addAll(c.server().commands().ehloKeywords());
        lines.add("HELP");
        return lines;
    }
}
