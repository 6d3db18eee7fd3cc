package io.smtpd.impl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The address of MAIL, RCPT and VRFY as aiosmtpd 1.4 reads it with Python's {@code get_angle_addr} /
 * {@code get_addr_spec} and {@code .addr_spec}. The expected values are what Python's email parser returns for the
 * addresses of aiosmtpd's {@code test_smtp.py} ({@code valid_mailfrom_addresses}, {@code valid_rcptto_addresses},
 * {@code invalid_email_addresses}).
 */
class AddressParserTest {

    static Stream<Arguments> aiosmtpdValidAddresses() {
        return Stream.of(
                Arguments.of("anne@example.com", "anne@example.com"),
                Arguments.of("<anne@example.com>", "anne@example.com"),
                Arguments.of(" anne@example.com", "anne@example.com"),
                Arguments.of(" <anne@example.com>", "anne@example.com"),
                Arguments.of("  anne@example.com", "anne@example.com"),
                Arguments.of("  <anne@example.com>", "anne@example.com"),
                Arguments.of("anne.arthur@example.com", "anne.arthur@example.com"),
                Arguments.of("anne+promo@example.com", "anne+promo@example.com"),
                Arguments.of("anne-arthur@example.com", "anne-arthur@example.com"),
                Arguments.of("anne_arthur@example.com", "anne_arthur@example.com"),
                Arguments.of("_@example.com", "_@example.com"),
                Arguments.of("anne@127.0.0.1", "anne@127.0.0.1"),
                Arguments.of("anne@[127.0.0.1]", "anne@[127.0.0.1]"),
                Arguments.of("anne@[IPv6:2001:db8::1]", "anne@[IPv6:2001:db8::1]"),
                Arguments.of("anne@[IPv6::1]", "anne@[IPv6::1]"),
                Arguments.of("anne(comment)@example.com", "anne@example.com"),
                Arguments.of("(comment)anne@example.com", "anne@example.com"),
                Arguments.of("anne@example.com(comment)", "anne@example.com"),
                Arguments.of("anne@machine(comment).  example", "anne@machine.example"),
                Arguments.of("<@example.org:anne@example.com>", "anne@example.com"),
                Arguments.of("<@example.net,@example.org:anne@example.com>", "anne@example.com"),
                Arguments.of("anne@mail", "anne@mail"),
                Arguments.of("\"\"@example.com", "@example.com"),
                Arguments.of("<\"\"@example.com>", "\"\"@example.com"),
                Arguments.of("\" \"@example.com", "\" \"@example.com"),
                Arguments.of("\"anne..arthur\"@example.com", "anne..arthur@example.com"),
                Arguments.of("mailhost!anne@example.com", "mailhost!anne@example.com"),
                Arguments.of("anne%example.org@example.com", "anne%example.org@example.com"),
                Arguments.of("much.\"more\\ unusual\"@example.com", "\"much.more unusual\"@example.com"),
                Arguments.of("very.\"(),:;<>[]\".VERY.\"very@\\\\ \"very.unusual@strange.example.com",
                        "\"very.(),:;<>[].VERY.very@\\\\ very.unusual\"@strange.example.com"),
                Arguments.of("Fred\\ Bloggs@example.com", "\"Fred\\\\ Bloggs\"@example.com"),
                Arguments.of("Joe.\\\\Blow@example.com", "\"Joe.\\\\\\\\Blow\"@example.com"),
                Arguments.of("\"Abc@def\"@example.com", "\"Abc@def\"@example.com"),
                Arguments.of("\"Fred Bloggs\"@example.com", "\"Fred Bloggs\"@example.com"),
                Arguments.of("customer/department=shipping@example.com", "customer/department=shipping@example.com"),
                Arguments.of("$A12345@example.com", "$A12345@example.com"),
                Arguments.of("!def!xyz%abc@example.com", "!def!xyz%abc@example.com"),
                Arguments.of("a".repeat(65) + "@example.com", "a".repeat(65) + "@example.com"),
                Arguments.of("b".repeat(488) + "@example.com", "b".repeat(488) + "@example.com"),
                Arguments.of("c".repeat(500), "c".repeat(500)),
                Arguments.of("<Postmaster>", "Postmaster"));
    }

    @ParameterizedTest
    @MethodSource("aiosmtpdValidAddresses")
    void parsesTheAddressesAiosmtpdAcceptsToWhatPythonsParserReturns(String argument, String expected) {
        ParsedAddress parsed = AddressParser.parse(argument);
        assertNotNull(parsed, "malformed: " + argument);
        assertEquals(expected, parsed.address());
        assertEquals("", parsed.rest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<@example.com>", "<johnathon@>", "@@", "<", "<a@b..c>", "anne@example.", "a@", "@b",
        ")anne@example.com", ">", "<,>"})
    void refusesMalformedAddresses(String argument) {
        assertNull(AddressParser.parse(argument));
    }

    @Test
    void emptyArgumentHasNoAddress() {
        assertSame(ParsedAddress.EMPTY, AddressParser.parse(""));
        assertSame(ParsedAddress.EMPTY, AddressParser.parse(null));
    }

    @Test
    void nullReversePathIsKeptAsAngleBrackets() {
        assertEquals(new ParsedAddress("<>", ""), AddressParser.parse("<>"));
    }

    @Test
    void textAfterAnAngleAddressIsTheParameters() {
        assertEquals(new ParsedAddress("anne@example.com", "SIZE=100 BODY=8BITMIME"),
                AddressParser.parse("<anne@example.com> SIZE=100 BODY=8BITMIME"));
        assertEquals("SIZE=100", AddressParser.parse("anne@example.com SIZE=100").rest().strip());
        assertEquals("SIZE=100", AddressParser.parse("<> SIZE=100").rest().strip());
    }

    @Test
    void commentAfterTheNullPathIsNotSkipped() {
        // get_angle_addr returns right after "<>": the comment is left over, so aiosmtpd answers 501 to
        // "MAIL FROM:<> (comment)" (a parameter that is not alphanumeric)
        assertEquals(new ParsedAddress("<>", " (comment)"), AddressParser.parse("<> (comment)"));
    }

    @Test
    void displayNameBeforeAnAngleAddressIsLeftOverForTheCaller() {
        // "MAIL FROM: Anne <anne@example.com>" is a 501 in aiosmtpd: the name parses, the rest is not a parameter
        assertEquals(new ParsedAddress("Anne", "<anne@example.com>"), AddressParser.parse("Anne <anne@example.com>"));
    }

    @Test
    void missingClosingAngleBracketIsOnlyADefect() {
        assertEquals(new ParsedAddress("anne@example.com", ""), AddressParser.parse("<anne@example.com"));
    }

    @Test
    void whiteSpaceAroundDotsOfTheDomainIsDropped() {
        assertEquals("anne@example.com", AddressParser.parse("anne@example .com").address());
        assertEquals("anne@example.com", AddressParser.parse("anne@example. com").address());
        assertEquals("anne@example.com", AddressParser.parse("<anne@example (x) . (y) com>").address());
    }

    @Test
    void whiteSpaceAroundDotsOfTheLocalPartIsDroppedButKeptBetweenWords() {
        assertEquals("anne.arthur@example.com", AddressParser.parse("anne . arthur@example.com").address());
        assertEquals("\"anne arthur\"@example.com", AddressParser.parse("anne arthur@example.com").address());
        assertEquals("\"anne arthur\"@example.com", AddressParser.parse("anne(comment)arthur@example.com").address());
    }

    @Test
    void quotedLocalPartIsRequotedOnlyWhenItNeedsIt() {
        assertEquals("anne@example.com", AddressParser.parse("<\"anne\"@example.com>").address());
        assertEquals("\"anne \\\"the\\\" arthur\"@example.com",
                AddressParser.parse("<\"anne \\\"the\\\" arthur\"@example.com>").address());
    }

    @Test
    void addressLiteralKeepsItsBracketsWithoutWhiteSpace() {
        assertEquals("anne@[192.0.2.1]", AddressParser.parse("<anne@[ 192.0.2.1 ]>").address());
    }

    @Test
    void nonAsciiLettersAreAtoms() {
        assertEquals("anneË@exämple.com", AddressParser.parse("<anneË@exämple.com>").address());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<a\u0000b@example.com>", "<a@exa\u0000mple.com>", "<\"a\u0000b\"@example.com>",
        "<a@[192.0.2.\r1]>", "<\"a\rb\"@example.com>", "<a(\nx)@example.com>"})
    void controlCharactersAreNeverPartOfAnAddress(String argument) {
        ParsedAddress parsed = AddressParser.parse(argument);
        if (parsed != null) {
            // what parsed must be clean; the control character is left over, which the commands refuse
            assertEquals(-1, indexOfControl(parsed.address()), parsed.address());
            assertNotNull(parsed.rest());
            assertEquals(true, indexOfControl(parsed.rest()) >= 0, "rest: " + parsed.rest());
        }
    }

    private static int indexOfControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
                return i;
            }
        }
        return -1;
    }
}
