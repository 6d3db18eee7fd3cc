package io.smtpd.impl.command;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.smtpd.api.HookResult;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.data.DotReader;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.EnvelopeState;

/**
 * DATA (RFC 5321 4.1.1.4): {@code 354}, then the message until {@code CRLF.CRLF}, then the DATA hook. Limits are
 * answered only after the terminator (RFC 5321 4.2.5). With LMTP, one reply per accepted recipient (RFC 2033 4.2).
 */
public final class DataCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        if (c.envelope().rcptTos().isEmpty()) {
            c.reply(Replies.S503_RCPT_NEEDED);
            return;
        }
        if (argument != null) {
            c.reply(Replies.S501_SYNTAX_DATA);
            return;
        }
        if (!c.hasTransactionHandler()) {
            c.reply(Replies.S451_NO_HANDLER);
            return;
        }
        c.reply(Replies.S354_DATA_ENTER);
        DotReader reader = new DotReader(c.settings().dataSizeLimit(), c.settings().dataLineLimit());
        c.expectData(reader, finished -> onMessage(c, finished));
    }

    private static void onMessage(Conversation c, DotReader reader) {
        EnvelopeState envelope = c.envelope();
        int recipients = envelope.rcptTos().size();
        switch (reader.outcome()) {
            case TOO_LONG:
                finish(c, recipients, Replies.S500_DATA_LINE_TOO_LONG);
                return;
            case TOO_MUCH:
                finish(c, recipients, Replies.S552_TOO_MUCH_DATA);
                return;
            default:
                break;
        }
        byte[] content = reader.content();
        String decoded = null;
        if (c.settings().decodeData()) {
            decoded = decode(content, c.settings().smtpUtf8());
            if (decoded == null) {
                finish(c, recipients, Replies.S500_DATA_STRICT_ASCII);
                return;
            }
        }
        envelope.receive(content, decoded);
        c.hook(h -> h.handleData(c.session(), envelope), result -> {
            c.resetTransaction();
            if (result.kind() == HookResult.Kind.REPLIES && c.session().lmtp()) {
                List<Reply> replies = result.replyValues();
                for (int i = 0; i < recipients; i++) {
                    c.reply(replies.get(Math.min(i, replies.size() - 1)));
                }
                return;
            }
            Reply reply = result.replyValue() == null ? Replies.S250_DATA_OK : result.replyValue();
            for (int i = 0, n = c.session().lmtp() ? recipients : 1; i < n; i++) {
                c.reply(reply);
            }
        });
    }

    private static void finish(Conversation c, int recipients, Reply reply) {
        c.resetTransaction();
        for (int i = 0, n = c.session().lmtp() ? recipients : 1; i < n; i++) {
            c.reply(reply);
        }
    }

    private static String decode(byte[] content, boolean utf8) {
        if (utf8) {
            return new String(content, StandardCharsets.UTF_8);
        }
        try {
            return StandardCharsets.US_ASCII.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
