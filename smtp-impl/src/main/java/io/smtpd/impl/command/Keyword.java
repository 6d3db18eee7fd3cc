package io.smtpd.impl.command;

import java.util.Locale;

/** aiosmtpd's {@code _strip_command_keyword}. */
final class Keyword {
    private Keyword() {
    }

    /** The argument after {@code keyword} (compared ignoring case), trimmed; {@code null} when it is not there. */
    static String strip(String keyword, String argument) {
        if (argument == null || argument.length() < keyword.length()
                || !argument.substring(0, keyword.length()).toUpperCase(Locale.ROOT).equals(keyword)) {
            return null;
        }
        return argument.substring(keyword.length()).strip();
    }
}
