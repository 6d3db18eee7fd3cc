package io.smtpd.impl.protocol;

/**
 * A verb of the command table with what HELP and EHLO say of it.
 *
 * @param verb           upper case
 * @param command        what runs it
 * @param syntax         what {@code HELP verb} shows; {@code null} leaves it out of HELP
 * @param extendedSyntax appended after EHLO, or {@code null}
 * @param ehloKeyword    an extra EHLO keyword, or {@code null}
 */
public record CommandEntry(String verb, Command command, String syntax, String extendedSyntax, String ehloKeyword) {

    public static CommandEntry of(String verb, Command command, String syntax) {
        return new CommandEntry(verb, command, syntax, null, null);
    }
}
