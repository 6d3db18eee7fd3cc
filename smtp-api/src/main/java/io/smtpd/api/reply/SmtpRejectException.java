package io.smtpd.api.reply;

import java.util.Objects;

/**
 * Thrown by a hook or a command to answer with {@link #reply()} at once. It is a normal outcome, not an error:
 * the server logs it at DEBUG only.
 */
public class SmtpRejectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Reply reply;

    public SmtpRejectException(Reply reply) {
        super(reply.toString(), null, false, false);
        this.reply = Objects.requireNonNull(reply, "reply");
    }

    public SmtpRejectException(int code, String text) {
        this(Reply.of(code, text));
    }

    public Reply reply() {
        return reply;
    }
}
