package io.smtpd.impl.parse;

/**
 * An address and what followed it on the command line (the parameters).
 *
 * @param address the address, {@code "<>"} for the null path, {@code ""} when there was none
 * @param rest    the text after the address
 */
public record ParsedAddress(String address, String rest) {
    public static final ParsedAddress EMPTY = new ParsedAddress("", "");
}
