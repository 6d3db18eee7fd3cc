package io.smtpd.api;

import java.util.Objects;
import java.util.Set;

/**
 * Delivery Status Notification requests (RFC 3461) as a client gave them on MAIL and RCPT, parsed, validated and
 * xtext-decoded. The server only records them: sending notifications is the handler's business.
 */
public final class Dsn {
    private Dsn() {
    }

    /** {@code RET}: what a failure notification should return of the message. */
    public enum Ret {
        FULL, HDRS
    }

    /** {@code NOTIFY}: when to notify; {@link #NEVER} never comes with the others. */
    public enum Notify {
        NEVER, SUCCESS, FAILURE, DELAY
    }

    /**
     * The DSN parameters of MAIL.
     *
     * @param ret        {@code RET}, or {@code null} when not given
     * @param envelopeId {@code ENVID}, xtext-decoded, or {@code null} when not given
     */
    public record Mail(Ret ret, String envelopeId) {
        /** MAIL without DSN parameters. */
        public static final Mail NONE = new Mail(null, null);
    }

    /**
     * The DSN parameters of one accepted RCPT.
     *
     * @param address                 the recipient as accepted (as in {@link Envelope#rcptTos()})
     * @param notifications           {@code NOTIFY}, empty when not given
     * @param originalRecipientType   the addr-type of {@code ORCPT} (for example {@code rfc822}), or {@code null}
     * @param originalRecipient       the address of {@code ORCPT}, xtext-decoded, or {@code null}
     */
    public record Recipient(String address, Set<Notify> notifications, String originalRecipientType,
                            String originalRecipient) {
        public Recipient {
            Objects.requireNonNull(address, "address");
            notifications = Set.copyOf(notifications);
        }
    }
}
