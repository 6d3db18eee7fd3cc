package io.smtpd.server;

/**
 * What DATA does with a bare CR or a bare LF in message content. In every mode only {@code CRLF.CRLF} ends the
 * message: a bare line end never ends or splits one (SMTP smuggling, CVE-2023-51764, CVE-2024-27305).
 */
public enum BareLineEndPolicy {
    /** Store the content as sent. */
    ALLOW,
    /** Store each bare CR or LF as CRLF, as Postfix 3.9's {@code smtpd_forbid_bare_newline = normalize}. */
    NORMALIZE,
    /** Refuse the message after its terminator: {@code 550 5.6.0}. */
    REJECT
}
