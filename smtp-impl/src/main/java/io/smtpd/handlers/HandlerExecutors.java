package io.smtpd.handlers;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the handlers' blocking work. A hook runs on one of the server's I/O threads, which serve many
 * sessions, so {@link Mailbox} and {@link Proxy} write files and talk to sockets here and answer later.
 *
 * <p>The pools are bounded in threads and in queued tasks: a full pool refuses work and the handler answers 451
 * rather than buffering without end. Their threads are daemons and leave once idle, so a stopped bundle or an
 * embedding application leaves nothing running behind.
 */
public final class HandlerExecutors {
    /** Tasks that may wait for a thread of the shared pool. */
    public static final int QUEUE_CAPACITY = 1024;
    private static final int MAX_THREADS = 64;
    private static final long IDLE_SECONDS = 60;

    private HandlerExecutors() {
    }

    /** The pool the handlers use unless given another: {@link #defaultThreads()} threads. */
    public static Executor shared() {
        return SharedPool.POOL;
    }

    /** Four threads per processor, at most 64: the work mostly waits on disks and networks, not on CPUs. */
    public static int defaultThreads() {
        return Math.min(MAX_THREADS, 4 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * A pool of at most {@code threads} daemon threads named {@code name-N}, with room for {@code queueCapacity}
     * waiting tasks; beyond that {@code execute} throws {@link java.util.concurrent.RejectedExecutionException}.
     */
    public static ExecutorService newBoundedPool(String name, int threads, int queueCapacity) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), daemonThreads(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** One timer thread for deadlines that blocking calls lack (a socket write has no timeout of its own). */
    static ScheduledExecutorService watchdog() {
        return Watchdog.TIMER;
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Created on first use, so that merely loading the handlers starts no pool. */
    private static final class SharedPool {
        static final ExecutorService POOL = newBoundedPool("smtpd-handler", defaultThreads(), QUEUE_CAPACITY);
    }

    private static final class Watchdog {
        static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1,
                daemonThreads("smtpd-handler-watchdog"));

        static {
            TIMER.setRemoveOnCancelPolicy(true);
            TIMER.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
            TIMER.allowCoreThreadTimeOut(true);
        }
    }
}
