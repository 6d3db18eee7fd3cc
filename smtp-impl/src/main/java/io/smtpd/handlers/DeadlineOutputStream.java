package io.smtpd.handlers;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A socket's output that closes the socket when one write takes longer than the timeout. A blocking socket write
 * has no timeout of its own: without this, an upstream that stops reading would hold a worker thread forever.
 * The write then fails with a {@link SocketTimeoutException}.
 */
final class DeadlineOutputStream extends FilterOutputStream {
    private final Socket socket;
    private final long timeoutMillis;
    private volatile boolean expired;

    DeadlineOutputStream(Socket socket, Duration timeout) throws IOException {
        super(socket.getOutputStream());
        this.socket = socket;
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ScheduledFuture<?> deadline = HandlerExecutors.watchdog()
                .schedule(this::abort, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            if (expired) {
                throw new SocketTimeoutException("Write timed out after " + timeoutMillis + " ms");
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    private void abort() {
        expired = true;
        try {
            socket.close();
        } catch (IOException e) {
            // the write that waits on it fails either way
        }
    }

    /** Closing is the connection's business; this stream only writes. */
    @Override
    public void close() throws IOException {
        flush();
    }
}
