package io.smtpd.impl.parse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;

/**
 * A command line split as aiosmtpd splits it: the verb before the first space, ASCII, upper-cased; the argument
 * after it, stripped of white space as Python's {@code bytes.strip()}, {@code null} when empty, ASCII unless
 * SMTPUTF8 is on (then UTF-8, invalid sequences flagged).
 *
 * @param verb              the verb, or {@code null} when the line has none that is ASCII
 * @param argument          the argument, or {@code null}
 * @param argumentMalformed whether the argument was not valid UTF-8
 * @param refusal           the reply when the line cannot be a command ({@code 500}), else {@code null}
 */
public record CommandSplit(String verb, String argument, boolean argumentMalformed, Reply refusal) {

    /** Splits {@code line} (without its line end). */
    public static CommandSplit of(byte[] line, boolean smtpUtf8) {
        if (line.length == 0) {
            return new CommandSplit(null, null, false, Replies.S500_BAD_SYNTAX);
        }
        int space = indexOf(line, (byte) ' ');
        int verbEnd = space < 0 ? line.length : space;
        if (!isAscii(line, 0, verbEnd)) {
            return new CommandSplit(null, null, false, Replies.S500_BAD_SYNTAX);
        }
        String verb = new String(line, 0, verbEnd, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        if (space < 0) {
            return new CommandSplit(verb, null, false, null);
        }
        int start = space + 1;
        int end = line.length;
        while (start < end && isPythonSpace(line[start])) {
            start++;
        }
        while (end > start && isPythonSpace(line[end - 1])) {
            end--;
        }
        if (end == start) {
            return new CommandSplit(verb, null, false, null);
        }
        if (!smtpUtf8) {
            if (!isAscii(line, start, end)) {
                return new CommandSplit(verb, null, false, Replies.S500_STRICT_ASCII);
            }
            return new CommandSplit(verb, new String(line, start, end - start, StandardCharsets.US_ASCII), false,
                    null);
        }
        try {
            String argument = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line, start, end - start)).toString();
            return new CommandSplit(verb, argument, false, null);
        } catch (CharacterCodingException e) {
            return new CommandSplit(verb, new String(line, start, end - start, StandardCharsets.UTF_8), true, null);
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isAscii(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Python's {@code bytes.strip()} white space. */
    private static boolean isPythonSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
    }
}
