package io.smtpd.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;

/** A handler that records every delivered message (Wiser-style). */
public class RecordingHandler implements Handler {
    /** A delivered message. */
    public record Message(String mailFrom, List<String> mailOptions, List<String> rcptTos, byte[] content,
                          String decoded, String peer, boolean smtpUtf8) {
        public String text() {
            return new String(content, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final LinkedBlockingQueue<Message> queue = new LinkedBlockingQueue<>();
    private final List<Message> all = new CopyOnWriteArrayList<>();

    @Override
    public HookResult handleData(Session session, Envelope envelope) {
        Message m = new Message(envelope.mailFrom(), List.copyOf(envelope.mailOptions()),
                List.copyOf(envelope.rcptTos()), envelope.content(), envelope.decodedContent(),
                session.clientAddress().getAddress().getHostAddress(), envelope.smtpUtf8());
        all.add(m);
        queue.add(m);
        return HookResult.proceed();
    }

    /** The next delivered message, waiting up to 5 s. */
    public Message take() throws InterruptedException {
        Message m = queue.poll(5, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message delivered within 5 s");
        }
        return m;
    }

    public List<Message> messages() {
        return all;
    }
}
