package io.smtpd.impl.parse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** ESMTP parameters of MAIL and RCPT (RFC 5321 4.1.2), read as aiosmtpd's {@code _getparams} reads them. */
public final class Parameters {
    /** The value of a keyword given without {@code =value}. */
    public static final String NO_VALUE = "";

    private Parameters() {
    }

    /** aiosmtpd's {@code params.upper().split()}. */
    public static List<String> options(String rest) {
        String trimmed = rest.strip();
        if (trimmed.isEmpty()) {
            return new ArrayList<>(0);
        }
        List<String> out = new ArrayList<>(4);
        Collections.addAll(out, trimmed.toUpperCase(Locale.ROOT).split("\\s+"));
        return out;
    }

    /**
     * @return keyword to value ({@link #NO_VALUE} when there is no {@code =}), in order; {@code null} when a keyword
     *     is not alphanumeric or a {@code =} has no value
     */
    public static Map<String, String> parse(List<String> options) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            String keyword = eq < 0 ? option : option.substring(0, eq);
            String value = eq < 0 ? NO_VALUE : option.substring(eq + 1);
            if (!isAlphanumeric(keyword) || (eq >= 0 && value.isEmpty())) {
                return null;
            }
            result.put(keyword, value);
        }
        return result;
    }

    private static boolean isAlphanumeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!Character.isLetterOrDigit(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }
}
