package io.smtpd.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One mail transaction, as aiosmtpd's {@code Envelope}: created empty at the start of a session and again after
 * RSET, HELO/EHLO and the end of DATA. Its lists are mutable so that a hook which answers itself can record
 * what the server would otherwise record (aiosmtpd semantics).
 */
@ProviderType
public interface Envelope {
    /** The reverse path, {@code "<>"} for the null sender, or {@code null} before MAIL. */
    String mailFrom();

    void setMailFrom(String mailFrom);

    /** The MAIL parameters, upper-cased as aiosmtpd keeps them, for example {@code SIZE=1024}. */
    List<String> mailOptions();

    /** The forward paths in the order accepted. */
    List<String> rcptTos();

    /** The RCPT parameters of all accepted recipients, upper-cased. */
    List<String> rcptOptions();

    /** Whether MAIL carried {@code SMTPUTF8}. */
    boolean smtpUtf8();

    void setSmtpUtf8(boolean smtpUtf8);

    /**
     * The message as received, after dot-unstuffing, line ends as sent ({@code original_content}); {@code null}
     * before the end of DATA.
     */
    byte[] originalContent();

    /**
     * The message as handlers should see it ({@code content}): the same bytes as {@link #originalContent()}
     * unless a hook replaced them with {@link #setContent(byte[])}.
     */
    byte[] content();

    void setContent(byte[] content);

    /**
     * The content decoded as text (UTF-8 with SMTPUTF8 on, else ASCII) when the server runs with
     * {@code decode_data}; {@code null} otherwise.
     */
    String decodedContent();

    /** State a handler keeps for this transaction only. */
    Attributes attributes();

    /** The DSN parameters of MAIL ({@code RET}, {@code ENVID}; RFC 3461); {@link Dsn.Mail#NONE} without them. */
    default Dsn.Mail dsn() {
        return Dsn.Mail.NONE;
    }

    /**
     * The DSN parameters ({@code NOTIFY}, {@code ORCPT}) of each accepted recipient, in the order of
     * {@link #rcptTos()}; empty when the server does not offer DSN.
     */
    default List<Dsn.Recipient> dsnRecipients() {
        return List.of();
    }

    /** Whether MAIL carried {@code REQUIRETLS} (RFC 8689): the message must only be relayed over TLS. */
    default boolean requireTls() {
        return false;
    }
}
