package io.smtpd.app;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Standard error for the runnable server's log: buffered and flushed by a daemon thread every
 * {@value #FLUSH_INTERVAL_MS} ms, and at exit, instead of one {@code write(2)} per log line.
 *
 * <p>The log (slf4j-simple, which looks up {@code System.err} for every line and flushes it) has one summary line
 * per session: one {@code write(2)} of the ~9 system calls a one-message session costs. A line now reaches the
 * terminal at most {@value #FLUSH_INTERVAL_MS} ms late; only a SIGKILL can lose what the last interval wrote.
 * {@code -Dsmtpd.log.buffered=false} keeps the JVM's line-by-line standard error.
 */
final class BufferedStderr {
    static final String DISABLE_PROPERTY = "smtpd.log.buffered";
    static final long FLUSH_INTERVAL_MS = 100;

    private static PrintStream installed;
    private static BufferedOutputStream buffer;

    private BufferedStderr() {
    }

    /** Replaces {@code System.err} (once per JVM); returns whether it did. */
    static synchronized boolean install() {
        if (installed != null || !Boolean.parseBoolean(System.getProperty(DISABLE_PROPERTY, "true"))) {
            return false;
        }
        BufferedOutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 16 * 1024);
        buffer = out;
        // slf4j-simple flushes after every line: that flush must not reach the file descriptor
        PrintStream buffered = new PrintStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                // the flusher thread and the exit hook flush
            }
        }, false, Charset.defaultCharset());
        installed = buffered;
        System.setErr(buffered);
        Thread flusher = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(FLUSH_INTERVAL_MS);
                    flush(out);
                }
            } catch (InterruptedException stop) {
                flush(out);
            }
        }, "smtpd-log-flush");
        flusher.setDaemon(true);
        flusher.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> flush(out), "smtpd-log-flush-at-exit"));
        return true;
    }

    /** Flushes standard error now (usage and startup errors, before the process exits). */
    static synchronized void flushNow() {
        System.err.flush(); // with ours installed: the PrintStream's encoder into the 16 KiB buffer
        if (installed != null) {
            flush(buffer);
        }
    }

    private static void flush(BufferedOutputStream out) {
        try {
            out.flush();
        } catch (IOException closed) {
            // standard error is gone: nothing to tell anyone
        }
    }
}
