package io.smtpd.handlers;

import java.util.List;
import java.util.stream.Collectors;

/** Python's {@code repr()} of a list of strings, as aiosmtpd's debugging handler prints the MAIL and RCPT options. */
final class PythonRepr {
    private PythonRepr() {
    }

    static String list(List<String> items) {
        return items.stream().map(PythonRepr::string).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Single quotes unless the text holds a single quote and no double quote, as Python chooses. */
    static String string(String text) {
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(text.length() + 2).append(quote);
        text.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || (c >= 0x7f && c <= 0xa0)) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(quote).toString();
    }
}
