package io.smtpd.impl.mina;

import java.util.concurrent.Executor;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;

/**
 * MINA's NIO processor without two system calls per request/reply exchange that it makes by default (measured with
 * strace in {@code bench/}):
 * <ul>
 *   <li>A reply written on the processor's own thread does not wake the selector (an eventfd write, and its read
 *       after the next select): the loop flushes after processing reads anyway. The wakeup is remembered and the
 *       next select does not block, so anything else requested from the loop thread runs promptly too.</li>
 *   <li>After a read that did not fill the buffer, the loop does not read again only to get {@code EAGAIN}: the
 *       socket is drained, and epoll (level-triggered) reports any later bytes.</li>
 * </ul>
 */
public final class LeanNioProcessor extends NioProcessor {
    private volatile Thread loopThread;
    /** Touched only by the loop thread. */
    private boolean wakeupPending;
    private IoBuffer lastBuffer;
    private boolean lastReadPartial;

    public LeanNioProcessor(Executor executor) {
        super(executor);
    }

    @Override
    protected int select(long timeout) throws Exception {
        loopThread = Thread.currentThread();
        if (wakeupPending) {
            wakeupPending = false;
            wakeupCalled.set(true); // a zero result is ours, not the epoll spinning bug MINA guards against
            selectorLock.readLock().lock();
            try {
                return selector.selectNow();
            } finally {
                selectorLock.readLock().unlock();
            }
        }
        return super.select(timeout);
    }

    @Override
    protected void wakeup() {
        if (Thread.currentThread() == loopThread) {
            wakeupPending = true;
            return;
        }
        super.wakeup();
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
