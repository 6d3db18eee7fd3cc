package io.smtpd.impl.parse;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.smtpd.api.Dsn;

/** The DSN parameters of RFC 3461 (RET, ENVID, NOTIFY, ORCPT) and xtext (RFC 3461 4). */
public final class DsnParser {
    /** RFC 3461 4.4: ENVID is at most 100 characters. */
    private static final int MAX_ENVID = 100;
    /** RFC 3461 4.2: ORCPT is at most 500 characters. */
    private static final int MAX_ORCPT = 500;

    private DsnParser() {
    }

    /**
     * The parameters after the address as the client wrote them: upper-cased keyword to value with its case kept
     * ({@link Parameters#NO_VALUE} without {@code =}); xtext is case-sensitive, so {@link Parameters#options}
     * (which upper-cases) cannot serve.
     */
    public static Map<String, String> raw(String rest) {
        Map<String, String> out = new LinkedHashMap<>();
        String trimmed = rest == null ? "" : rest.strip();
        if (trimmed.isEmpty()) {
            return out;
        }
        for (String option : trimmed.split("\\s+")) {
            int eq = option.indexOf('=');
            String keyword = (eq < 0 ? option : option.substring(0, eq)).toUpperCase(Locale.ROOT);
            out.put(keyword, eq < 0 ? Parameters.NO_VALUE : option.substring(eq + 1));
        }
        return out;
    }

    /** {@code RET=FULL|HDRS}; {@code null} when invalid. */
    public static Dsn.Ret ret(String value) {
        if (value == null) {
            return null;
        }
        switch (value.toUpperCase(Locale.ROOT)) {
            case "FULL":
                return Dsn.Ret.FULL;
            case "HDRS":
                return Dsn.Ret.HDRS;
            default:
                return null;
        }
    }

    /** {@code ENVID=xtext}, decoded; {@code null} when invalid. */
    public static String envid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_ENVID) {
            return null;
        }
        return xtext(value);
    }

    /** {@code NOTIFY=NEVER} or a comma list of SUCCESS, FAILURE, DELAY; {@code null} when invalid. */
    public static Set<Dsn.Notify> notify(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Set<Dsn.Notify> out = EnumSet.noneOf(Dsn.Notify.class);
        for (String item : value.toUpperCase(Locale.ROOT).split(",", -1)) {
            Dsn.Notify notify;
            switch (item) {
                case "NEVER":
                    notify = Dsn.Notify.NEVER;
                    break;
                case "SUCCESS":
                    notify = Dsn.Notify.SUCCESS;
                    break;
                case "FAILURE":
                    notify = Dsn.Notify.FAILURE;
                    break;
                case "DELAY":
                    notify = Dsn.Notify.DELAY;
                    break;
                default:
                    return null;
            }
            if (!out.add(notify)) {
                return null; // repeated
            }
        }
        if (out.contains(Dsn.Notify.NEVER) && out.size() > 1) {
            return null; // NEVER stands alone
        }
        return out;
    }

    /**
     * {@code ORCPT=addr-type;xtext}: the addr-type (an atom) and the decoded address; {@code null} when invalid.
     */
    public static String[] orcpt(String value) {
        if (value == null || value.length() > MAX_ORCPT) {
            return null;
        }
        int semi = value.indexOf(';');
        if (semi <= 0 || semi == value.length() - 1) {
            return null;
        }
        String type = value.substring(0, semi);
        for (int i = 0; i < type.length(); i++) {
            char ch = type.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-')) {
                return null;
            }
        }
        String address = xtext(value.substring(semi + 1));
        return address == null ? null : new String[] {type, address};
    }

    /**
     * Decodes xtext: printable ASCII but {@code +} and {@code =} as themselves, {@code +XX} (upper-case hex) for any
     * octet; {@code null} when malformed.
     */
    public static String xtext(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '+') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int hi = hex(text.charAt(i + 1));
                int lo = hex(text.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.append((char) (hi * 16 + lo));
                i += 2;
            } else if (ch < 33 || ch > 126 || ch == '=') {
                return null;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static int hex(char ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        if (ch >= 'A' && ch <= 'F') {
            return ch - 'A' + 10;
        }
        return -1;
    }
}
