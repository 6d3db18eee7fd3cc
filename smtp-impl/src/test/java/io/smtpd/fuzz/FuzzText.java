package io.smtpd.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Turns fuzz bytes into a string: the first byte picks how, so every char, lone surrogates included, is reachable. */
final class FuzzText {
    private FuzzText() {
    }

    static String of(byte[] data) {
        if (data.length == 0) {
            return "";
        }
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        switch (data[0] & 3) {
            case 0:
                return new String(rest, StandardCharsets.ISO_8859_1); // every octet as one char
            case 1:
                return new String(rest, StandardCharsets.UTF_16BE); // any char, lone surrogates included
            default:
                return new String(rest, StandardCharsets.UTF_8); // what SMTPUTF8 decodes, malformed input replaced
        }
    }

    /** Whether {@code s} has a character that must never reach an envelope: NUL, CR, LF, another C0 control but
     *  TAB, or DEL. */
    static int forbiddenControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return i;
            }
        }
        return -1;
    }
}
