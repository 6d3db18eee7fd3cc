package io.smtpd.api.reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An SMTP reply: a three-digit code and one or more lines of text, as an immutable value.
 *
 * <p>The text is sent as given. {@link #enhancedStatus()} is the RFC 3463 code the server prefixes to each line
 * when it advertises ENHANCEDSTATUSCODES and the text does not start with one already; replies parsed from
 * aiosmtpd-style strings carry none, so what a handler wrote reaches the client unchanged.
 *
 * <p>A reply can carry intent for the transport: {@link #closesConnection()} closes the connection once the
 * reply is written.
 */
public final class Reply {
    private static final Pattern ENHANCED = Pattern.compile("^[245]\\.\\d{1,3}\\.\\d{1,3}(?: |$)");

    private final int code;
    private final String enhancedStatus;
    private final List<String> lines;
    private final boolean closesConnection;

    private Reply(int code, String enhancedStatus, List<String> lines, boolean closesConnection) {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        this.code = code;
        this.enhancedStatus = enhancedStatus;
        this.lines = lines;
        this.closesConnection = closesConnection;
    }

    /** A one-line reply. A text with line breaks becomes several lines. */
    public static Reply of(int code, String text) {
        return new Reply(code, null, splitLines(text), false);
    }

    /** A reply of several lines. */
    public static Reply of(int code, List<String> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
        List<String> copy = new ArrayList<>(lines.size());
        for (String line : lines) {
            copy.addAll(splitLines(line));
        }
        return new Reply(code, null, List.copyOf(copy), false);
    }

    /** A one-line reply with the enhanced status code the server adds when ENHANCEDSTATUSCODES is on. */
    public static Reply of(int code, String enhancedStatus, String text) {
        return of(code, text).withEnhancedStatus(enhancedStatus);
    }

    /**
     * Parses a reply written as aiosmtpd's handlers write status strings: {@code "250 OK"}, {@code "550"}, or
     * several lines ({@code "250-first\r\n250 last"}).
     *
     * @throws IllegalArgumentException when a line does not start with a reply code in 200..599
     */
    public static Reply parse(String status) {
        Objects.requireNonNull(status, "status");
        String[] raw = status.split("\r\n|\r|\n");
        List<String> texts = new ArrayList<>(raw.length);
        int code = -1;
        for (String line : raw) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 3 || !isCode(line)) {
                throw new IllegalArgumentException("not an SMTP reply: " + status);
            }
            int lineCode = Integer.parseInt(line.substring(0, 3));
            if (code < 0) {
                code = lineCode;
            }
            texts.add(line.length() > 4 ? line.substring(4) : "");
        }
        if (code < 0) {
            throw new IllegalArgumentException("not an SMTP reply: " + status);
        }
        return new Reply(code, null, List.copyOf(texts), false);
    }

    private static boolean isCode(String line) {
        return Character.isDigit(line.charAt(0)) && Character.isDigit(line.charAt(1))
                && Character.isDigit(line.charAt(2)) && (line.length() == 3 || line.charAt(3) == ' '
                || line.charAt(3) == '-');
    }

    private static List<String> splitLines(String text) {
        Objects.requireNonNull(text, "text");
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return List.of(text);
        }
        return List.of(text.split("\r\n|\r|\n", -1));
    }

    /** This reply with {@code status} (for example {@code "2.0.0"}) as its enhanced status code. */
    public Reply withEnhancedStatus(String status) {
        if (status != null && !ENHANCED.matcher(status).find()) {
            throw new IllegalArgumentException("not an enhanced status code: " + status);
        }
        return new Reply(code, status, lines, closesConnection);
    }

    /** This reply, closing the connection once written. */
    public Reply closing() {
        return closesConnection ? this : new Reply(code, enhancedStatus, lines, true);
    }

    public int code() {
        return code;
    }

    public String enhancedStatus() {
        return enhancedStatus;
    }

    public List<String> lines() {
        return lines;
    }

    /** The text of the reply's lines, joined with a line feed. */
    public String text() {
        return lines.size() == 1 ? lines.get(0) : String.join("\n", lines);
    }

    public boolean closesConnection() {
        return closesConnection;
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** Whether the text of the first line starts with an RFC 3463 code already. */
    public boolean textHasEnhancedStatus() {
        return ENHANCED.matcher(lines.get(0)).find();
    }

    /**
     * The reply as sent on the wire, each line ended by CRLF.
     *
     * @param enhancedStatusCodes whether to prefix {@link #enhancedStatus()} to lines that lack a code
     */
    public String render(boolean enhancedStatusCodes) {
        StringBuilder out = new StringBuilder(16 + 16 * lines.size());
        String prefix = enhancedStatusCodes && enhancedStatus != null ? enhancedStatus : null;
        for (int i = 0, n = lines.size(); i < n; i++) {
            String text = lines.get(i);
            out.append(code).append(i + 1 < n ? '-' : ' ');
            if (prefix != null && !ENHANCED.matcher(text).find()) {
                out.append(prefix);
                if (!text.isEmpty()) {
                    out.append(' ');
                }
            }
            out.append(text).append("\r\n");
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Reply)) {
            return false;
        }
        Reply other = (Reply) o;
        return code == other.code && closesConnection == other.closesConnection
                && Objects.equals(enhancedStatus, other.enhancedStatus) && lines.equals(other.lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, enhancedStatus, lines, closesConnection);
    }

    /** The reply as aiosmtpd would push it, without the final CRLF. */
    @Override
    public String toString() {
        String wire = render(false);
        return wire.substring(0, wire.length() - 2);
    }
}
