package io.smtpd.impl.mina;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "smtpd-forced-close");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private ForcedClose() {
    }

    static void after(IoSession session) {
        if (session.containsAttribute(KEY)) {
            return;
        }
        ScheduledFuture<?> pending = TIMER.schedule(() -> {
            session.closeNow();
        }, GRACE_SECONDS, TimeUnit.SECONDS);
        session.setAttribute(KEY, pending);
    }

    static void cancel(IoSession session) {
        Object pending = session.removeAttribute(KEY);
        if (pending instanceof ScheduledFuture) {
            ((ScheduledFuture<?>) pending).cancel(false);
        }
    }
}
