package io.smtpd.impl.protocol;

import java.net.InetSocketAddress;

import io.smtpd.api.reply.Reply;
import io.smtpd.impl.tls.ServerTls;

/**
 * The transport as the protocol sees it: the port through which {@link Conversation} talks to a socket without
 * knowing MINA. Calls come from the thread that holds the session's input lock.
 */
public interface Connection {
    /** Queues {@code reply} for writing, in order; closes the connection after it when the reply says so. */
    void write(Reply reply);

    /** Closes the connection once queued replies are written. */
    void close();

    /** Stops taking input: bytes already read are kept, reading stops (back-pressure while a hook is pending). */
    void pauseInput();

    /** Takes input again: first the bytes kept by {@link #pauseInput()}, then new ones from the socket. */
    void resumeInput();

    /**
     * Runs {@code task} from any thread, serialized with input processing, then takes kept input if the
     * conversation is no longer paused. Tasks for a closed connection are dropped.
     */
    void execute(Runnable task);

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    /** Whether the connection is closing or closed. */
    boolean isClosing();

    /**
     * STARTTLS: writes {@code ready} in clear, then puts TLS with {@code tls} under the conversation; the handshake
     * follows with the client's hello, and its end is reported to {@link Conversation#onTlsEstablished}. Input kept
     * but not yet consumed is dropped.
     */
    default void startTls(Reply ready, ServerTls tls) {
        throw new UnsupportedOperationException("this transport has no TLS");
    }
}
