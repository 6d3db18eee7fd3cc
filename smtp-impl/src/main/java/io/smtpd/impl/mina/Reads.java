package io.smtpd.impl.mina;

import org.apache.mina.core.polling.AbstractPollingIoProcessor;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * Suspends and resumes reading safely from any thread.
 *
 * <p>MINA 2.2's {@code suspendRead()} and {@code resumeRead()} update the selection key's interest set right away, on
 * the calling thread, with a read-modify-write that is not atomic with the I/O thread's own updates of the same set
 * (for writes). Called from another thread (a hook completing on a worker) while the I/O thread flushes replies, one
 * update can undo the other: reading stays off although it was resumed, and the session hangs. So after changing the
 * flag, this also queues the session for the I/O thread, which sets the interest set again from the flags, alone.
 */
final class Reads {
    private static final AttributeKey PROCESSOR = new AttributeKey(Reads.class, "processor");
    private static final Object NONE = new Object();

    private Reads() {
    }

    static void suspend(IoSession session) {
        session.suspendRead();
        reapply(session);
    }

    static void resume(IoSession session) {
        session.resumeRead();
        reapply(session);
    }

    /** Has the session's I/O thread set its interest set from its flags (nothing when not a polling session). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void reapply(IoSession session) {
        if (session.isClosing()) {
            return;
        }
        Object processor = session.getAttribute(PROCESSOR);
        if (processor == null) {
            processor = NONE;
            for (Object key : session.getAttributeKeys()) {
                Object value = session.getAttribute(key);
                if (value instanceof AbstractPollingIoProcessor) {
                    processor = value;
                    break;
                }
            }
            session.setAttribute(PROCESSOR, processor);
        }
        if (processor instanceof AbstractPollingIoProcessor) {
            ((AbstractPollingIoProcessor) processor).updateTrafficMask((AbstractIoSession) session);
        }
    }
}
