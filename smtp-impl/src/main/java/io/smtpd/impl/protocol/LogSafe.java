package io.smtpd.impl.protocol;

/** Makes client text safe for a log line: control characters escaped, length capped. */
public final class LogSafe {
    private static final int MAX = 200;

    private LogSafe() {
    }

    public static String text(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX) + 8);
        for (int i = 0; i < s.length() && i < MAX; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (s.length() > MAX) {
            out.append("...");
        }
        return out.toString();
    }
}
