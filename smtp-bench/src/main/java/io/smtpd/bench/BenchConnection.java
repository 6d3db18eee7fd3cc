package io.smtpd.bench;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.smtpd.api.reply.Reply;
import io.smtpd.impl.protocol.Connection;
import io.smtpd.impl.protocol.Conversation;

/**
 * A {@link Connection} without a socket for benchmarks: replies are encoded as the MINA {@code ReplyEncoder} does
 * (so that cost is measured) and only counted; input is fed one item at a time, as the MINA decoder does.
 */
final class BenchConnection implements Connection {
    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.7", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 25);

    private final boolean enhancedStatusCodes;
    Conversation conversation;
    int replies;
    long replyBytes;
    int lastCode;
    boolean closed;

    BenchConnection(boolean enhancedStatusCodes) {
        this.enhancedStatusCodes = enhancedStatusCodes;
    }

    /** Feeds all of {@code in} (from its position) to the conversation. */
    void feed(ByteBuffer in) {
        Conversation c = conversation;
        while (in.hasRemaining() && !c.isClosed()) {
            Object item = c.framer().next(in);
            if (item != null) {
                c.onInput(item);
            }
        }
    }

    @Override
    public void write(Reply reply) {
        byte[] wire = reply.render(enhancedStatusCodes).getBytes(StandardCharsets.UTF_8);
        replies++;
        replyBytes += wire.length;
        lastCode = reply.code();
        if (reply.closesConnection()) {
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void pauseInput() {
        throw new IllegalStateException("the sink handler never pauses");
    }

    @Override
    public void resumeInput() {
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return REMOTE;
    }

    @Override
    public InetSocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public boolean isClosing() {
        return closed;
    }
}
