package io.smtpd.impl.mina;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * Bounds {@code closeOnFlush}: a client that stops reading would otherwise keep a closing session (and its
 * connection slot) forever. The pending close is cancelled when the session closes normally.
 */
final class ForcedClose {
    private static final long GRACE_SECONDS = 10;
    private static final AttributeKey KEY = new AttributeKey(ForcedClose.class, "forcedClose");
    private ForcedClose() {
    }

    /** @param timer the server's timer (stopped with the server, so no thread outlives it) */
    static void after(IoSession session, ScheduledExecutorService timer) {
        if (session.containsAttribute(KEY)) {
            return;
        }
        try {
            session.setAttribute(KEY, timer.schedule(() -> session.closeNow(), GRACE_SECONDS, TimeUnit.SECONDS));
        } catch (RejectedExecutionException stopping) {
            session.closeNow(); // the server is stopping: no grace
        }
    }

    static void cancel(IoSession session) {
        Object pending = session.removeAttribute(KEY);
        if (pending instanceof ScheduledFuture) {
            ((ScheduledFuture<?>) pending).cancel(false);
        }
    }
}
