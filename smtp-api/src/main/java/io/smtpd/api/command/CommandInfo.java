package io.smtpd.api.command;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A custom command's metadata, the plain-Java form of the service properties of {@link SmtpCommand}.
 *
 * @param verb           the verb, stored upper-case
 * @param syntax         what {@code HELP verb} shows, or {@code null} to leave the command out of HELP
 * @param extendedSyntax what HELP appends after EHLO, or {@code null}
 * @param ehloKeyword    a keyword for the EHLO reply, or {@code null}
 * @param requiresHelo   whether HELO/EHLO must come first
 * @param requiresAuth   whether AUTH must come first when the server requires authentication
 */
public record CommandInfo(String verb, String syntax, String extendedSyntax, String ehloKeyword,
                          boolean requiresHelo, boolean requiresAuth) {

    public CommandInfo {
        Objects.requireNonNull(verb, "verb");
        verb = verb.trim().toUpperCase(Locale.ROOT);
        if (verb.isEmpty() || !verb.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("a verb is printable ASCII without spaces: " + verb);
        }
    }

    /** A command listed in HELP with {@code syntax}, needing neither HELO nor AUTH. */
    public static CommandInfo of(String verb, String syntax) {
        return new CommandInfo(verb, syntax, null, null, false, false);
    }

    /** Reads the metadata from service properties ({@link SmtpCommand#VERB} and the others). */
    public static CommandInfo fromProperties(Map<String, ?> properties) {
        Object verb = properties.get(SmtpCommand.VERB);
        if (verb == null) {
            throw new IllegalArgumentException("service property " + SmtpCommand.VERB + " is missing");
        }
        return new CommandInfo(first(verb), first(properties.get(SmtpCommand.SYNTAX)),
                first(properties.get(SmtpCommand.EXTENDED_SYNTAX)), first(properties.get(SmtpCommand.EHLO_KEYWORD)),
                Boolean.parseBoolean(first(properties.get(SmtpCommand.REQUIRES_HELO))),
                Boolean.parseBoolean(first(properties.get(SmtpCommand.REQUIRES_AUTH))));
    }

    private static String first(Object value) {
        if (value instanceof String[]) {
            String[] values = (String[]) value;
            return values.length == 0 ? null : values[0];
        }
        if (value == null) {
            return null;
        }
        String text = value.toString();
        return text.isEmpty() ? null : text;
    }
}
