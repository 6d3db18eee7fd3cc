package io.smtpd.impl.protocol;

import io.smtpd.api.reply.Reply;

/**
 * With ENHANCEDSTATUSCODES on (RFC 2034), every 2xx, 4xx and 5xx reply but the greeting and the positive replies to
 * HELO/EHLO/LHLO carries an RFC 3463 code. Replies without one (a handler's {@code "250 OK"}) get one appropriate
 * to the command they answer, else the class default {@code X.0.0}.
 */
final class EnhancedStatus {
    private EnhancedStatus() {
    }

    /**
     * @param reply the reply about to be sent
     * @param verb  the command it answers (upper case), or {@code null}
     */
    static Reply complete(Reply reply, String verb) {
        int code = reply.code();
        if (code >= 300 && code < 400) {
            return reply;
        }
        if (reply.enhancedStatus() != null || reply.textHasEnhancedStatus()) {
            return reply;
        }
        if (code < 300 && isHello(verb)) {
            return reply; // RFC 2034 3: the replies to HELO and EHLO are exempt
        }
        int kind = code / 100;
        return reply.withEnhancedStatus(kind + "." + detail(kind, verb));
    }

    private static boolean isHello(String verb) {
        return "HELO".equals(verb) || "EHLO".equals(verb) || "LHLO".equals(verb);
    }

    /** The subject and detail of RFC 3463 for a reply of class {@code kind} to {@code verb}. */
    private static String detail(int kind, String verb) {
        if (verb == null) {
            return "0.0";
        }
        switch (verb) {
            case "MAIL":
                return kind == 2 ? "1.0" : "0.0";
            case "RCPT":
                return kind == 2 ? "1.5" : "0.0";
            case "DATA":
            case "BDAT":
                return kind == 2 ? "6.0" : "0.0";
            case "AUTH":
                return "7.0";
            case "STARTTLS":
            case "XCLIENT":
                return kind == 2 ? "0.0" : "7.0";
            default:
                return "0.0";
        }
    }
}
