package io.smtpd.handlers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where header fields added by a handler go in a message: at the end of its header block. The block ends at the
 * first empty line, at the first line that is neither a header field nor the folded continuation of one, or at
 * the end of a message that has no body.
 *
 * <p>The added lines end as the message's first line does ({@code \r\n} when it has none). Where the block ends
 * at a body line instead of an empty line, an empty line follows the added fields, so that the body cannot read
 * as their continuation; where the message stops in the middle of a line, a line break precedes them. The
 * message's own bytes are otherwise kept as they are.
 *
 * @param offset where in the message the fields go
 * @param lineEnding the line ending the added lines use
 * @param breakBefore whether a line break must precede the fields (the message's last line is unterminated)
 * @param separatorAfter whether an empty line must follow them (the body starts without one)
 */
record HeaderInsertion(int offset, String lineEnding, boolean breakBefore, boolean separatorAfter) {

    static HeaderInsertion locate(byte[] message) {
        String ending = firstLineEnding(message);
        boolean afterField = false;
        int pos = 0;
        while (pos < message.length) {
            int end = endOfLine(message, pos);
            if (end == pos) {
                return new HeaderInsertion(pos, ending, false, false);
            }
            boolean folded = afterField && (message[pos] == ' ' || message[pos] == '\t');
            if (!folded && !startsField(message, pos, end)) {
                return new HeaderInsertion(pos, ending, false, true);
            }
            afterField = true;
            pos = afterLineEnding(message, end);
        }
        boolean unterminated = message.length > 0 && !isLineBreak(message[message.length - 1]);
        return new HeaderInsertion(message.length, ending, unterminated, false);
    }

    /** A header field is a name of printable ASCII other than ':' (RFC 5322 2.2), then ':'. */
    private static boolean startsField(byte[] message, int pos, int end) {
        int i = pos;
        while (i < end && message[i] >= 33 && message[i] <= 126 && message[i] != ':') {
            i++;
        }
        return i > pos && i < end && message[i] == ':';
    }

    /** The added lines, as bytes: fields are {@code Name: value} strings, written as UTF-8. */
    byte[] render(List<String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * fields.size());
        byte[] eol = lineEnding.getBytes(StandardCharsets.US_ASCII);
        if (breakBefore) {
            out.writeBytes(eol);
        }
        for (String field : fields) {
            out.writeBytes(field.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(eol);
        }
        if (separatorAfter) {
            out.writeBytes(eol);
        }
        return out.toByteArray();
    }

    /** The message with the fields inserted. */
    byte[] insertInto(byte[] message, List<String> fields) {
        byte[] added = render(fields);
        byte[] result = new byte[message.length + added.length];
        System.arraycopy(message, 0, result, 0, offset);
        System.arraycopy(added, 0, result, offset, added.length);
        System.arraycopy(message, offset, result, offset + added.length, message.length - offset);
        return result;
    }

    /** {@code name: value}, with any CR or LF in the value made a space so that it cannot start a new field. */
    static String field(String name, String value) {
        return name + ": " + (value == null ? "" : value.replace('\r', ' ').replace('\n', ' '));
    }

    private static String firstLineEnding(byte[] message) {
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n') {
                return "\n";
            }
            if (message[i] == '\r') {
                return i + 1 < message.length && message[i + 1] == '\n' ? "\r\n" : "\r";
            }
        }
        return "\r\n";
    }

    private static int endOfLine(byte[] message, int from) {
        int i = from;
        while (i < message.length && !isLineBreak(message[i])) {
            i++;
        }
        return i;
    }

    private static int afterLineEnding(byte[] message, int end) {
        if (end >= message.length) {
            return end;
        }
        return message[end] == '\r' && end + 1 < message.length && message[end + 1] == '\n' ? end + 2 : end + 1;
    }

    private static boolean isLineBreak(byte b) {
        return b == '\r' || b == '\n';
    }
}
