package io.smtpd.impl.mina;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

import io.smtpd.impl.protocol.Conversation;

/**
 * The per-connection state the MINA side keeps: the conversation, and input read while the conversation was
 * paused. Its monitor is the connection's input lock: decoding, dispatch and hook completions all hold it.
 */
final class SessionContext {
    private static final AttributeKey KEY = new AttributeKey(SessionContext.class, "context");

    final MinaConnection connection;
    Conversation conversation;
    /** Bytes read while a hook was pending; at most one read buffer, since reading is suspended then. */
    IoBuffer kept;
    /** Whether reading is suspended because the client does not read its replies. */
    boolean writeSuspended;

    SessionContext(MinaConnection connection) {
        this.connection = connection;
    }

    static SessionContext of(IoSession session) {
        return (SessionContext) session.getAttribute(KEY);
    }

    static void attach(IoSession session, SessionContext context) {
        session.setAttribute(KEY, context);
    }

    /** Keeps what is left of {@code in} for later (the decoder's buffer is freed after decoding). */
    void keep(IoBuffer in) {
        if (kept == null) {
            kept = IoBuffer.allocate(in.remaining()).setAutoExpand(true);
        } else {
            kept.compact();
        }
        kept.put(in);
        kept.flip();
    }

    boolean hasKept() {
        return kept != null && kept.hasRemaining();
    }
}
