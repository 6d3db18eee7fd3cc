package io.smtpd.impl.protocol;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.smtpd.api.Handler;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.command.BuiltinCommands;
import io.smtpd.server.ServerSettings;

/**
 * A {@link Connection} without a socket: input is fed as bytes through the conversation's framer, one item at a
 * time as the MINA decoder does, and replies are collected as wire text.
 */
final class FakeConnection implements Connection {
    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-timer");
        t.setDaemon(true);
        return t;
    });

    final List<String> replies = new ArrayList<>();
    final Conversation conversation;
    private ByteBuffer kept = ByteBuffer.allocate(0);
    boolean closed;
    boolean paused;

    FakeConnection(ServerSettings settings, Handler handler) {
        ServerContext server = new ServerContext("test", settings, "mx.test", "smtpd test", () -> handler,
                () -> BuiltinCommands.table(settings).build(), () -> null, TIMER);
        conversation = new Conversation(server, this);
        conversation.start();
    }

    /** Feeds {@code text} as the client would send it. */
    FakeConnection feed(String text) {
        ByteBuffer in = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        if (conversation.isPaused()) {
            keep(in);
            return this;
        }
        while (in.hasRemaining() && !conversation.isClosed()) {
            if (conversation.isPaused()) {
                keep(in);
                break;
            }
            Object item = conversation.framer().next(in);
            if (item != null) {
                conversation.onInput(item);
            }
        }
        return this;
    }

    /** The replies so far, each without its final CRLF, and forgets them. */
    List<String> take() {
        List<String> out = new ArrayList<>(replies);
        replies.clear();
        return out;
    }

    private void keep(ByteBuffer in) {
        ByteBuffer all = ByteBuffer.allocate(kept.remaining() + in.remaining());
        all.put(kept).put(in).flip();
        kept = all;
    }

    @Override
    public synchronized void write(Reply reply) {
        String wire = reply.render(false);
        replies.add(wire.substring(0, wire.length() - 2));
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
        paused = true;
    }

    @Override
    public void resumeInput() {
        paused = false;
    }

    @Override
    public synchronized void execute(Runnable task) {
        task.run();
        paused = conversation.isPaused();
        while (!conversation.isPaused() && kept.hasRemaining() && !conversation.isClosed()) {
            Object item = conversation.framer().next(kept);
            if (item != null) {
                conversation.onInput(item);
            }
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("192.0.2.7", 40000);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 25);
    }

    @Override
    public boolean isClosing() {
        return closed;
    }
}
