package io.smtpd.impl.command;

import io.smtpd.api.reply.Reply;

/** The replies of the extensions beyond aiosmtpd: CHUNKING, BINARYMIME, DSN, REQUIRETLS, XCLIENT. */
final class EsmtpReplies {
    private EsmtpReplies() {
    }

    static final Reply S501_SYNTAX_BDAT = Reply.of(501, "5.5.4", "Syntax: BDAT <size> [LAST]");
    static final Reply S503_DATA_AFTER_BDAT = Reply.of(503, "5.5.1", "Error: DATA not allowed after BDAT");
    static final Reply S503_BINARYMIME_NEEDS_BDAT =
            Reply.of(503, "5.5.1", "Error: BODY=BINARYMIME requires BDAT, not DATA");
    static final Reply S501_BODY_CHUNKING =
            Reply.of(501, "5.5.4", "Error: BODY can only be one of 7BIT, 8BITMIME, BINARYMIME");
    static final Reply S501_BAD_RET = Reply.of(501, "5.5.4", "Bad RET parameter syntax");
    static final Reply S501_BAD_ENVID = Reply.of(501, "5.5.4", "Bad ENVID parameter syntax");
    static final Reply S501_BAD_NOTIFY = Reply.of(501, "5.5.4", "Bad NOTIFY parameter syntax");
    static final Reply S501_BAD_ORCPT = Reply.of(501, "5.5.4", "Bad ORCPT parameter syntax");
    static final Reply S501_REQUIRETLS_NO_ARGUMENTS = Reply.of(501, "5.5.4", "Error: REQUIRETLS takes no arguments");
    static final Reply S530_REQUIRETLS_NEEDS_TLS =
            Reply.of(530, "5.7.10", "REQUIRETLS requires a TLS connection");
    static final Reply S550_XCLIENT_NOT_AUTHORIZED = Reply.of(550, "5.7.0", "Error: insufficient authorization");
    static final Reply S501_XCLIENT_SYNTAX = Reply.of(501, "5.5.4", "Syntax: XCLIENT attribute=value ...");
    static final Reply S503_XCLIENT_IN_TRANSACTION =
            Reply.of(503, "5.5.1", "Error: MAIL transaction in progress");

    /** {@code 250 2.0.0 <n> octets received}: one BDAT chunk taken. */
    static Reply chunkReceived(long octets) {
        return Reply.of(250, "2.0.0", octets + " octets received");
    }
}
