package io.smtpd.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.smtpd.impl.parse.AddressParser;
import io.smtpd.impl.parse.ParsedAddress;

/**
 * The MAIL/RCPT/VRFY address parser on any text: it never throws, answers null (malformed) or an address with the
 * text after it, and an address never holds NUL, CR, LF or another control character (they would reach handlers,
 * logs and, through the relay, another server's command line).
 *
 * <p>Input: the first byte picks the text's encoding ({@link FuzzText}), the rest is the text.
 */
class AddressParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void address(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        String argument = FuzzText.of(data);
        ParsedAddress parsed = AddressParser.parse(argument);
        if (argument.isEmpty()) {
            assertSame(ParsedAddress.EMPTY, parsed);
            return;
        }
        if (parsed == null) {
            return; // malformed: 553
        }
        String address = parsed.address();
        assertNotNull(address);
        assertNotNull(parsed.rest());
        assertTrue(argument.endsWith(parsed.rest()), "rest is not what follows the address");
        int bad = FuzzText.forbiddenControl(address);
        assertEquals(-1, bad, () -> "control character U+" + Integer.toHexString(address.charAt(bad))
                + " in address " + escape(address) + " parsed from " + escape(argument));
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
