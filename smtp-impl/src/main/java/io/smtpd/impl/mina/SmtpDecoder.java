package io.smtpd.impl.mina;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * Decodes at most one item per call (a command line, or a whole DATA section), so that
 * {@code ProtocolCodecFilter} hands it to the handler before the next byte is framed: a command may change how the
 * next bytes are read. While the conversation waits for a hook, input is kept instead of decoded.
 */
final class SmtpDecoder implements ProtocolDecoder {
    static final SmtpDecoder INSTANCE = new SmtpDecoder();

    @Override
    public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) {
        SessionContext context = SessionContext.of(session);
        if (context == null || context.conversation == null) {
            in.position(in.limit()); // rejected or not yet opened: nothing to talk to
            return;
        }
        synchronized (context) {
            if (context.conversation.isClosed()) {
                in.position(in.limit());
                return;
            }
            TlsFilters.checkSecured(session, context.conversation);
            if (context.conversation.isPaused() || context.hasKept()) {
                context.keep(in);
                return;
            }
            Object item = context.conversation.framer().next(in.buf());
            if (item != null) {
                out.write(item);
            }
        }
    }

    @Override
    public void finishDecode(IoSession session, ProtocolDecoderOutput out) {
        // a line without its line end at the end of the stream is discarded, never executed
    }

    @Override
    public void dispose(IoSession session) {
        // no per-session resources in the decoder
    }
}
