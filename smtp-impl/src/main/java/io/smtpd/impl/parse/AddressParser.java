package io.smtpd.impl.parse;

/**
 * Parses the address of MAIL, RCPT and VRFY as aiosmtpd does with Python's {@code email} header parser
 * ({@code get_angle_addr} / {@code get_addr_spec}): angle addresses with the null path {@code <>}, obsolete source
 * routes ({@code <@a,@b:user@host>}, the route dropped), quoted local parts (re-quoted only when they need it),
 * address literals ({@code user@[192.0.2.1]}), bare addresses, and a local part without a domain. Comments and
 * white space around the parts are skipped. Unlike Python, control characters are never part of an address.
 */
public final class AddressParser {
    /** RFC 5322 specials plus white space: what ends an atom. */
    private static final String ATOM_ENDS = "()<>@,:;.\\\"[] \t";

    private final String text;
    private int pos;

    private AddressParser(String text) {
        this.text = text;
    }

    /**
     * @return the address and the text after it; {@link ParsedAddress#EMPTY} for empty input; {@code null} when the
     *     input is malformed (aiosmtpd's {@code HeaderParseError}: {@code 553})
     */
    public static ParsedAddress parse(String argument) {
        if (argument == null || argument.isEmpty()) {
            return ParsedAddress.EMPTY;
        }
        AddressParser parser = new AddressParser(argument);
        try {
            String address = argument.stripLeading().startsWith("<") ? parser.angleAddress() : parser.addrSpec();
            return new ParsedAddress(address, argument.substring(parser.pos));
        } catch (Malformed e) {
            return null;
        }
    }

    private String angleAddress() {
        skipCfws();
        expect('<');
        if (peek() == '>') {
            pos++; // Python returns right here: what follows, comments included, is left over
            return "<>";
        }
        int mark = pos;
        String address;
        try {
            address = addrSpec();
        } catch (Malformed e) {
            pos = mark;
            obsoleteRoute();
            address = addrSpec();
        }
        if (address.isEmpty() || address.charAt(0) == '@') {
            address = "\"\"" + address; // AngleAddr.addr_spec quotes an empty local part
        }
        if (peek() == '>') {
            pos++; // a missing '>' is only a defect to Python, not an error
        }
        skipCfws();
        return address;
    }

    /** {@code @domain *( "," [CFWS] "@" domain ) ":"}, discarded. */
    private void obsoleteRoute() {
        skipCfws();
        while (peek() == ',') {
            pos++;
            skipCfws();
        }
        expect('@');
        domain();
        while (peek() == ',') {
            pos++;
            skipCfws();
            if (peek() == '@') {
                pos++;
                domain();
            }
        }
        expect(':');
    }

    private String addrSpec() {
        String local = localPart();
        if (peek() != '@') {
            return quoteIfNeeded(local);
        }
        pos++;
        return quoteIfNeeded(local) + "@" + domain();
    }

    /**
     * Python's {@code get_local_part} with its obsolete forms, and {@code LocalPart.local_part}: words (atoms and
     * quoted strings), dots and stray backslashes; white space and comments go around dots and at the ends, and
     * become one space between words.
     */
    private String localPart() {
        skipCfws();
        int c = peek();
        if (c < 0 || ")<>@,:;[]".indexOf(c) >= 0) {
            throw new Malformed();
        }
        StringBuilder local = new StringBuilder();
        Token previous = null;
        boolean space = false;
        while (true) {
            c = peek();
            Token token;
            String text;
            if (c == '"') {
                token = Token.WORD;
                text = quotedString();
            } else if (c == '.') {
                pos++;
                token = Token.DOT;
                text = ".";
            } else if (c == '\\') {
                pos++;
                token = Token.BACKSLASH;
                text = "\\";
            } else if (isAtext(c)) {
                token = Token.WORD;
                text = atom();
            } else {
                break;
            }
            if (space && previous != null && (token == Token.WORD && previous != Token.DOT
                    || previous == Token.WORD && token != Token.DOT)) {
                local.append(' ');
            }
            local.append(text);
            previous = token;
            space = skipCfws();
        }
        if (previous == null) {
            throw new Malformed();
        }
        return local.toString();
    }

    private String domain() {
        skipCfws();
        int c = peek();
        String domain;
        if (c == '[') {
            domain = domainLiteral();
        } else {
            StringBuilder dotAtom = new StringBuilder();
            if (!isAtext(c)) {
                throw new Malformed();
            }
            dotAtom.append(atom());
            while (true) { // obs-domain: white space and comments may surround the dots
                skipCfws();
                if (peek() != '.') {
                    break;
                }
                pos++;
                skipCfws();
                if (!isAtext(peek())) {
                    throw new Malformed();
                }
                dotAtom.append('.').append(atom());
            }
            domain = dotAtom.toString();
        }
        skipCfws();
        return domain;
    }

    private String domainLiteral() {
        expect('[');
        StringBuilder literal = new StringBuilder("[");
        while (true) {
            int c = peek();
            if (c < 0 || c == '[' || c == '\\' || isControl(c)) {
                throw new Malformed();
            }
            pos++;
            if (c == ']') {
                return literal.append(']').toString();
            }
            if (c != ' ' && c != '\t') {
                literal.append((char) c);
            }
        }
    }

    private String atom() {
        int start = pos;
        while (isAtext(peek())) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String quotedString() {
        expect('"');
        StringBuilder content = new StringBuilder();
        while (true) {
            int c = peek();
            if (c < 0 || isControl(c)) {
                throw new Malformed();
            }
            pos++;
            if (c == '"') {
                return content.toString();
            }
            if (c == '\\') {
                int escaped = peek();
                if (escaped < 0 || isControl(escaped)) {
                    throw new Malformed();
                }
                pos++;
                content.append((char) escaped);
            } else {
                content.append((char) c);
            }
        }
    }

    /** White space and (nested) comments; whether there were any. */
    private boolean skipCfws() {
        int start = pos;
        while (true) {
            int c = peek();
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '(') {
                skipComment();
            } else {
                return pos > start;
            }
        }
    }

    private void skipComment() {
        int depth = 0;
        do {
            int c = peek();
            if (c < 0 || isControl(c)) {
                throw new Malformed();
            }
            pos++;
            if (c == '\\') {
                pos++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
        } while (depth > 0);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new Malformed();
        }
        pos++;
    }

    private int peek() {
        return pos < text.length() ? text.charAt(pos) : -1;
    }

    private static boolean isAtext(int c) {
        return c >= 0 && ATOM_ENDS.indexOf(c) < 0 && !isControl(c);
    }

    private static boolean isControl(int c) {
        return (c < 0x20 && c != '\t') || c == 0x7f;
    }

    /** Python's {@code AddrSpec.addr_spec}: quote the local part when it holds a special or white space. */
    private static String quoteIfNeeded(String local) {
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c != '.' && ATOM_ENDS.indexOf(c) >= 0) {
                return '"' + local.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            }
        }
        return local;
    }

    /** The parts of a local part, as far as spacing between them goes. */
    private enum Token { WORD, DOT, BACKSLASH }

    /** A parse failure; cheap, no stack trace. */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed() {
            super(null, null, false, false);
        }
    }
}
