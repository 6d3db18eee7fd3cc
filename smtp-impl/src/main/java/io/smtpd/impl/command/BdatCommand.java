package io.smtpd.impl.command;

import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.data.ChunkReader;
import io.smtpd.impl.data.ContentBuffer;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.EnvelopeState;

/**
 * BDAT (RFC 3030 CHUNKING): {@code BDAT <size> [LAST]}, then exactly {@code size} octets, raw. Each chunk is
 * answered once read; after the LAST one the message goes to the DATA hook as DATA's does (LMTP: one reply per
 * recipient). Once the size is known, the chunk is always read, also when the command is refused (no MAIL, no
 * accepted RCPT, no HELO, no AUTH): its octets are discarded, never taken as commands (go-smtp issue 315). The size
 * limit counts all chunks of the transaction; the chunk that crosses it is discarded and answered 552, and the
 * transaction ends.
 */
public final class BdatCommand implements Command {
    @Override
    public void execute(Conversation c, String argument) {
        long size = ChunkReader.size(argument);
        if (size < 0) {
            c.reply(EsmtpReplies.S501_SYNTAX_BDAT); // the length is unknown: what follows is read as commands
            return;
        }
        boolean last = ChunkReader.isLast(argument);
        Reply refusal = refusal(c);
        if (refusal != null) {
            read(c, size, null, () -> c.reply(refusal));
            return;
        }
        EnvelopeState envelope = c.envelope();
        ContentBuffer message = envelope.chunks();
        if (message == null) {
            message = new ContentBuffer();
            envelope.chunks(message);
        }
        long limit = c.settings().dataSizeLimit();
        boolean fits = limit > 0 ? message.length() + size <= limit : message.fits(size);
        int recipients = envelope.rcptTos().size();
        boolean isLast = last;
        if (!fits) {
            read(c, size, null, () -> DataCommand.finish(c, isLast ? recipients : 1, Replies.S552_TOO_MUCH_DATA));
            return;
        }
        ContentBuffer into = message;
        long octets = size;
        read(c, size, message, () -> {
            if (isLast) {
                DataCommand.deliver(c, into.toByteArray());
            } else {
                c.reply(EsmtpReplies.chunkReceived(octets));
            }
        });
    }

    /** Why the transaction cannot take a chunk now, or {@code null}. */
    private static Reply refusal(Conversation c) {
        if (c.session().hostName() == null) {
            return Replies.S503_HELO_FIRST;
        }
        if (c.settings().authRequired() && !c.session().authenticated()) {
            return Replies.S530_AUTH_REQUIRED;
        }
        if (!c.envelope().inTransaction()) {
            return Replies.S503_MAIL_NEEDED;
        }
        if (c.envelope().rcptTos().isEmpty()) {
            return Replies.S503_RCPT_NEEDED;
        }
        if (!c.hasTransactionHandler()) {
            return Replies.S451_NO_HANDLER;
        }
        return null;
    }

    /** Reads the chunk's octets into {@code sink} (or discards them when {@code null}), then runs {@code then}. */
    private static void read(Conversation c, long size, ContentBuffer sink, Runnable then) {
        if (size == 0) {
            then.run();
            return;
        }
        c.expectChunk(new ChunkReader(size, sink), chunk -> then.run());
    }
}
