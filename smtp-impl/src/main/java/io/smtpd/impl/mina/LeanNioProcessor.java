package io.smtpd.impl.mina;

import java.util.concurrent.Executor;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;

/**
 * MINA's NIO processor without the system calls it makes by default to wake a selector that is not asleep, and
 * without a read that can only return {@code EAGAIN} (measured with strace in {@code bench/}):
 * <ul>
 *   <li>MINA wakes the selector (an eventfd write, and its read after the next select) for every request queued to
 *       the loop: each reply written, each session the acceptor hands over. Only a loop blocked in select needs
 *       that. While the loop is awake, a request only marks a wakeup as owed, and the loop's next select does not
 *       block: replies written from the loop's own thread (it flushes after processing reads anyway), and
 *       sessions accepted while it is busy.</li>
 *   <li>After a read that did not fill the buffer, the loop does not read again only to get {@code EAGAIN}: the
 *       socket is drained, and epoll (level-triggered) reports any later bytes.</li>
 * </ul>
 *
 * <p>Whether the loop is asleep is {@link #loopAwake}, cleared just before select blocks; a request sets
 * {@link #wakeupOwed} after queueing its work. Each side writes one of the two volatile fields and then reads the
 * other, so at least one of them sees the other's write: the requester finds the loop asleep and wakes it, or the
 * loop finds the wakeup owed and does not block. A loop that stopped (no sessions left) and restarts on another
 * thread starts with a select, which does the same check.
 */
public final class LeanNioProcessor extends NioProcessor {
    private volatile boolean loopAwake = true;
    private volatile boolean wakeupOwed;
    private IoBuffer lastBuffer;
    private boolean lastReadPartial;

    public LeanNioProcessor(Executor executor) {
        super(executor);
    }

    @Override
    protected int select(long timeout) throws Exception {
        loopAwake = false;
        if (wakeupOwed) {
            wakeupOwed = false;
            loopAwake = true;
            wakeupCalled.set(true); // a zero result is ours, not the epoll spinning bug MINA guards against
            selectorLock.readLock().lock();
            try {
                return selector.selectNow();
            } finally {
                selectorLock.readLock().unlock();
            }
        }
        try {
            return super.select(timeout);
        } finally {
            // requests made while asleep woke the selector, and this iteration serves what they queued
            wakeupOwed = false;
            loopAwake = true;
        }
    }

    @Override
    protected void wakeup() {
        wakeupOwed = true;
        if (!loopAwake) {
            super.wakeup();
        }
    }

    @Override
    protected int read(NioSession session, IoBuffer buf) throws Exception {
        if (buf == lastBuffer && lastReadPartial) {
            lastBuffer = null;
            return 0; // the previous read on this buffer left room: the socket had no more
        }
        int read = super.read(session, buf);
        lastBuffer = buf;
        lastReadPartial = read > 0 && buf.hasRemaining();
        return read;
    }
}
