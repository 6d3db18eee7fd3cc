package io.smtpd.itest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;

/**
 * A handler that keeps what it receives (subethasmtp's Wiser) and signs its DATA reply with its label, so a test
 * sees over the socket which handler took a message: {@code 250 OK: delivered to <label>}.
 */
public final class RecordingHandler implements Handler {
    /** One message as the handler saw it at the end of DATA. */
    public record Message(String mailFrom, List<String> rcptTos, String content) {
    }

    private final String label;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

    public RecordingHandler(String label) {
        this.label = label;
    }

    /** The reply this handler gives at the end of DATA. */
    public String dataReply() {
        return "250 OK: delivered to " + label;
    }

    @Override
    public HookResult handleData(Session session, Envelope envelope) {
        messages.add(new Message(envelope.mailFrom(), List.copyOf(envelope.rcptTos()),
                new String(envelope.content(), StandardCharsets.UTF_8)));
        return HookResult.reply(dataReply());
    }

    /** The next message received, waiting up to the deadline. */
    public Message next() throws InterruptedException {
        Message message = messages.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("handler " + label + " received no message");
        }
        return message;
    }

    /** Messages received and not yet taken with {@link #next()}. */
    public int pending() {
        return messages.size();
    }

    @Override
    public String toString() {
        return "RecordingHandler[" + label + "]";
    }
}
