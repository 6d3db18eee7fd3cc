package io.smtpd.impl.mina;

import java.net.InetSocketAddress;

import org.apache.mina.core.session.IoSession;

import io.smtpd.api.reply.Reply;
import io.smtpd.impl.protocol.Connection;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.SessionLog;
import io.smtpd.impl.tls.ServerTls;

/** {@link Connection} on a MINA session. */
final class MinaConnection implements Connection {
    private final IoSession session;
    private final int writeBufferLimit;
    private SessionContext context;

    MinaConnection(IoSession session, int writeBufferLimit) {
        this.session = session;
        this.writeBufferLimit = writeBufferLimit;
    }

    void context(SessionContext context) {
        this.context = context;
    }

    @Override
    public void write(Reply reply) {
        session.write(reply);
        if (reply.closesConnection()) {
            if (context.writeSuspended) {
                session.closeNow(); // the client does not read: its last replies would never flush
            } else {
                session.closeOnFlush();
                ForcedClose.after(session, context.conversation.server().timer()); // if the client stops reading
            }
        } else if (!context.writeSuspended && session.getScheduledWriteBytes() > writeBufferLimit) {
            context.writeSuspended = true; // the client does not read: stop reading until it does
            Reads.suspend(session);
        }
    }

    /** The client read enough of its replies: read from it again. */
    void onSent() {
        synchronized (context) {
            if (context.writeSuspended && session.getScheduledWriteBytes() <= writeBufferLimit / 2) {
                context.writeSuspended = false;
                Conversation conversation = context.conversation;
                if (conversation != null && !conversation.isPaused()) {
                    Reads.resume(session);
                }
            }
        }
    }

    @Override
    public void startTls(Reply ready, ServerTls tls) {
        session.write(ready); // encoded and queued now, before the filter exists: it goes out in clear
        TlsFilters.insert(session, tls);
        context.kept = null; // pipelined after STARTTLS in clear: never executed
    }

    @Override
    public void close() {
        session.closeOnFlush();
    }

    @Override
    public void pauseInput() {
        Reads.suspend(session); // safe from any thread, unlike suspendRead() alone
    }

    @Override
    public void resumeInput() {
        synchronized (context) {
            String[] mdc = SessionLog.enter(context.conversation);
            try {
                drainKept();
            } finally {
                SessionLog.exit(mdc);
            }
        }
    }

    @Override
    public void execute(Runnable task) {
        synchronized (context) {
            if (context.conversation == null || context.conversation.isClosed() || isClosing()) {
                return;
            }
            String[] mdc = SessionLog.enter(context.conversation);
            try {
                task.run();
                drainKept();
            } finally {
                SessionLog.exit(mdc);
            }
        }
    }

    /** Feeds kept input to the conversation while it is not paused, then reads from the socket again. */
    private void drainKept() {
        Conversation conversation = context.conversation;
        while (!conversation.isPaused() && !conversation.isClosed() && context.hasKept()) {
            Object item = conversation.framer().next(context.kept.buf());
            if (item == null) {
                break;
            }
            conversation.onInput(item);
        }
        if (context.kept != null && !context.kept.hasRemaining()) {
            context.kept = null;
        }
        if (!conversation.isPaused() && !context.writeSuspended && !conversation.isClosed()) {
            Reads.resume(session); // often from a hook's thread: see Reads
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) session.getRemoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) session.getLocalAddress();
    }

    @Override
    public boolean isClosing() {
        return session.isClosing();
    }
}
