package io.smtpd.api.reply;

/**
 * The server's standard replies, with aiosmtpd 1.4's codes and texts (the names follow aiosmtpd's test
 * catalogue) and the RFC 3463 code sent when ENHANCEDSTATUSCODES is on.
 */
public final class Replies {
    private Replies() {
    }

    // 2xx
    public static final Reply S250_OK = Reply.of(250, "2.0.0", "OK");
    public static final Reply S250_SENDER_OK = Reply.of(250, "2.1.0", "OK");
    public static final Reply S250_RECIPIENT_OK = Reply.of(250, "2.1.5", "OK");
    public static final Reply S250_DATA_OK = Reply.of(250, "2.6.0", "OK");
    public static final Reply S221_BYE = Reply.of(221, "2.0.0", "Bye").closing();
    public static final Reply S252_CANNOT_VRFY =
            Reply.of(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery");
    public static final Reply S220_READY_TLS = Reply.of(220, "2.0.0", "Ready to start TLS");
    public static final Reply S235_AUTH_SUCCESS = Reply.parse("235 2.7.0 Authentication successful");
    public static final Reply S354_DATA_ENTER = Reply.of(354, "End data with <CR><LF>.<CR><LF>");

    // 4xx
    public static final Reply S421_TOO_MANY_CONNECTIONS =
            Reply.parse("421 4.7.0 Too many connections").closing();
    public static final Reply S421_TOO_MANY_ERRORS = Reply.parse("421 4.7.0 Too many errors").closing();
    public static final Reply S421_TOO_MANY_AUTH_FAILURES =
            Reply.parse("421 4.7.0 Too many failed authentication attempts").closing();
    public static final Reply S421_SHUTTING_DOWN = Reply.parse("421 4.3.2 Service shutting down").closing();
    public static final Reply S451_NO_HANDLER =
            Reply.parse("451 4.3.0 Error: no handler available, try again later");
    public static final Reply S451_HANDLER_TIMEOUT =
            Reply.parse("451 4.3.0 Error: the handler did not answer in time, try again later");
    public static final Reply S452_TOO_MANY_RECIPIENTS = Reply.parse("452 4.5.3 Too many recipients");
    public static final Reply S454_TLS_NOT_AVAILABLE = Reply.of(454, "4.7.0", "TLS not available");

    // 5xx: command syntax
    public static final Reply S500_BAD_SYNTAX = Reply.of(500, "5.5.2", "Error: bad syntax");
    public static final Reply S500_COMMAND_TOO_LONG = Reply.of(500, "5.5.2", "Command line too long");
    public static final Reply S500_STRICT_ASCII = Reply.of(500, "5.5.2", "Error: strict ASCII mode");
    public static final Reply S500_DATA_STRICT_ASCII = Reply.of(500, "5.6.0", "Error: strict ASCII mode");
    public static final Reply S500_DATA_LINE_TOO_LONG =
            Reply.of(500, "5.5.2", "Line too long (see RFC5321 4.5.3.1.6)");
    public static final Reply S502_TOO_MANY_UNRECOGNIZED =
            Reply.parse("502 5.5.1 Too many unrecognized commands, goodbye.").closing();
    public static final Reply S502_EXPN_NOT_IMPLEMENTED = Reply.of(502, "5.5.1", "EXPN not implemented");
    public static final Reply S501_SYNTAX_HELO = Reply.of(501, "5.5.4", "Syntax: HELO hostname");
    public static final Reply S501_SYNTAX_EHLO = Reply.of(501, "5.5.4", "Syntax: EHLO hostname");
    public static final Reply S501_SYNTAX_LHLO = Reply.of(501, "5.5.4", "Syntax: LHLO hostname");
    public static final Reply S501_SYNTAX_MAIL = Reply.of(501, "5.5.4", "Syntax: MAIL FROM: <address>");
    public static final Reply S501_SYNTAX_MAIL_ESMTP =
            Reply.of(501, "5.5.4", "Syntax: MAIL FROM: <address> [SP <mail-parameters>]");
    public static final Reply S501_SYNTAX_RCPT = Reply.of(501, "5.5.4", "Syntax: RCPT TO: <address>");
    public static final Reply S501_SYNTAX_RCPT_ESMTP =
            Reply.of(501, "5.5.4", "Syntax: RCPT TO: <address> [SP <mail-parameters>]");
    public static final Reply S501_SYNTAX_DATA = Reply.of(501, "5.5.4", "Syntax: DATA");
    public static final Reply S501_SYNTAX_RSET = Reply.of(501, "5.5.4", "Syntax: RSET");
    public static final Reply S501_SYNTAX_QUIT = Reply.of(501, "5.5.4", "Syntax: QUIT");
    public static final Reply S501_SYNTAX_VRFY = Reply.of(501, "5.5.4", "Syntax: VRFY <address>");
    public static final Reply S501_SYNTAX_STARTTLS = Reply.of(501, "5.5.4", "Syntax: STARTTLS");
    public static final Reply S501_BODY = Reply.of(501, "5.5.4", "Error: BODY can only be one of 7BIT, 8BITMIME");
    public static final Reply S501_SMTPUTF8_NO_ARGUMENTS =
            Reply.of(501, "5.5.4", "Error: SMTPUTF8 takes no arguments");
    public static final Reply S501_SMTPUTF8_DISABLED = Reply.of(501, "5.5.4", "Error: SMTPUTF8 disabled");
    public static final Reply S553_MALFORMED_ADDRESS = Reply.parse("553 5.1.3 Error: malformed address");
    public static final Reply S555_MAIL_PARAMETERS =
            Reply.of(555, "5.5.4", "MAIL FROM parameters not recognized or not implemented");
    public static final Reply S555_RCPT_PARAMETERS =
            Reply.of(555, "5.5.4", "RCPT TO parameters not recognized or not implemented");

    // 5xx: sequence
    public static final Reply S503_HELO_FIRST = Reply.of(503, "5.5.1", "Error: send HELO first");
    public static final Reply S503_EHLO_FIRST = Reply.of(503, "5.5.1", "Error: send EHLO first");
    public static final Reply S503_NESTED_MAIL = Reply.of(503, "5.5.1", "Error: nested MAIL command");
    public static final Reply S503_MAIL_NEEDED = Reply.of(503, "5.5.1", "Error: need MAIL command");
    public static final Reply S503_RCPT_NEEDED = Reply.of(503, "5.5.1", "Error: need RCPT command");
    public static final Reply S503_TLS_ACTIVE = Reply.parse("503 5.5.1 TLS already active");

    // 5xx: policy and limits
    public static final Reply S552_SIZE_EXCEEDED =
            Reply.of(552, "5.3.4", "Error: message size exceeds fixed maximum message size");
    public static final Reply S550_BARE_LINE_END =
            Reply.parse("550 5.6.0 Error: bare CR or LF in message content, use CRLF line ends");
    public static final Reply S552_TOO_MUCH_DATA = Reply.of(552, "5.3.4", "Error: Too much mail data");
    public static final Reply S530_STARTTLS_FIRST = Reply.of(530, "5.7.0", "Must issue a STARTTLS command first");
    public static final Reply S530_AUTH_REQUIRED = Reply.parse("530 5.7.0 Authentication required");
    public static final Reply S554_LACK_OF_SECURITY =
            Reply.of(554, "5.7.0", "Command refused due to lack of security");

    // AUTH (RFC 4954)
    public static final Reply S535_AUTH_INVALID = Reply.parse("535 5.7.8 Authentication credentials invalid");
    public static final Reply S503_ALREADY_AUTHENTICATED = Reply.of(503, "5.5.1", "Already authenticated");
    public static final Reply S503_AUTH_IN_TRANSACTION =
            Reply.of(503, "5.5.1", "Error: AUTH not allowed during a mail transaction");
    public static final Reply S501_AUTH_NOT_ENOUGH = Reply.of(501, "5.5.4", "Not enough value");
    public static final Reply S501_AUTH_TOO_MANY = Reply.of(501, "5.5.4", "Too many values");
    public static final Reply S501_AUTH_ABORTED = Reply.parse("501 5.7.0 Auth aborted");
    public static final Reply S500_AUTH_LINE_TOO_LONG = Reply.parse("500 5.5.6 Authentication Exchange line is too long");
    public static final Reply S501_AUTH_BAD_BASE64 = Reply.parse("501 5.5.2 Can't decode base64");
    public static final Reply S501_AUTH_CANT_SPLIT = Reply.parse("501 5.5.2 Can't split auth value");
    public static final Reply S504_AUTH_UNKNOWN_MECHANISM =
            Reply.parse("504 5.5.4 Unrecognized authentication type");
    public static final Reply S538_AUTH_REQUIRES_TLS =
            Reply.parse("538 5.7.11 Encryption required for requested authentication mechanism");
    public static final Reply S500_AUTH_UNRECOGNIZED = Reply.of(500, "5.5.1", "Error: command 'AUTH' not recognized");

    /** {@code 500 Error: command "VERB" not recognized}. */
    public static Reply unrecognized(String verb) {
        return Reply.of(500, "5.5.1", "Error: command \"" + printable(verb) + "\" not recognized");
    }

    /** Client text echoed in a reply: control characters become {@code ?}, so a reply stays one line. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    /** {@code 502 Could not VRFY <argument>}. */
    public static Reply couldNotVrfy(String argument) {
        return Reply.of(502, "5.1.3", "Could not VRFY " + printable(argument));
    }

    /** aiosmtpd's reply to an exception no hook handled: {@code 500 Error: (Class) message}. */
    public static Reply exception(Throwable error) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        return Reply.of(500, "5.3.0", "Error: (" + error.getClass().getSimpleName() + ") "
                + message.replace('\r', ' ').replace('\n', ' '));
    }
}
