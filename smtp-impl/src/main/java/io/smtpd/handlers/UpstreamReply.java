package io.smtpd.handlers;

import java.util.List;

import io.smtpd.api.reply.Reply;

/** A reply read from the upstream server: its code and the text of each line. */
record UpstreamReply(int code, List<String> lines) {
    /** 421: the upstream is closing the connection, whatever command it answers. */
    static final int SERVICE_CLOSING = 421;

    boolean positive() {
        return code >= 200 && code < 300;
    }

    boolean permanentFailure() {
        return code >= 500;
    }

    /** The same reply for our client: code and text as the upstream sent them. */
    Reply toReply() {
        return Reply.of(code, lines);
    }

    /** For logs: the text comes from another server, so its control characters are escaped. */
    @Override
    public String toString() {
        return printable(code + " " + String.join(" / ", lines));
    }

    /** For logs: control characters from the upstream are escaped, and the text is cut short. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

