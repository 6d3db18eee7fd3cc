package io.smtpd.impl.auth;

import java.util.Base64;

/** Base64 as aiosmtpd decodes AUTH data ({@code b64decode(validate=True)}): the standard alphabet, padding required. */
public final class StrictBase64 {
    private StrictBase64() {
    }

    /** The decoded bytes, or {@code null} when {@code text} has a character outside the alphabet or bad padding. */
    public static byte[] decode(String text) {
        if (text.length() % 4 != 0) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
