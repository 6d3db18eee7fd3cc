package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.ehloed;
import static io.smtpd.conformance.Fixtures.greeted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.smtpd.api.Handler;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;

/**
 * HELP (RFC 5321 4.1.1.8) built from each command's syntax, as aiosmtpd's {@code @syntax}. aiosmtpd 1.4 answers
 * {@code 250 Supported commands: AUTH DATA EHLO HELO HELP MAIL NOOP QUIT RCPT RSET VRFY}; the assertions allow
 * verbs this server adds (AUTH) as long as the list stays sorted.
 */
class HelpCommandTest {
    static final List<String> AIOSMTPD_VERBS =
            List.of("DATA", "EHLO", "HELO", "HELP", "MAIL", "NOOP", "QUIT", "RCPT", "RSET", "VRFY");
    private static SmtpServer server;

    @BeforeAll
    static void startServer() {
        server = Fixtures.start(new Handler() { });
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** The verbs of a {@code NNN Supported commands: ...} reply, checked to be sorted and without duplicates. */
    static List<String> supportedCommands(String reply, int code) {
        String prefix = code + " Supported commands: ";
        assertTrue(reply.startsWith(prefix), reply);
        List<String> verbs = Arrays.asList(reply.substring(prefix.length()).split(" "));
        List<String> sorted = new ArrayList<>(verbs);
        sorted.sort(null);
        assertEquals(sorted, verbs, "sorted");
        assertEquals(verbs.size(), new HashSet<>(verbs).size(), "no duplicates");
        return verbs;
    }

    @Test
    void helpListsTheSupportedCommandsSorted() throws Exception {
        try (RawClient c = greeted(server)) {
            List<String> verbs = supportedCommands(c.command("HELP"), 250);
            assertTrue(verbs.containsAll(AIOSMTPD_VERBS), verbs.toString());
            assertFalse(verbs.contains("EXPN"), "EXPN has no syntax in aiosmtpd");
            assertFalse(verbs.contains("STARTTLS"), "STARTTLS is listed only with TLS configured");
        }
    }

    @Test
    void everyListedVerbIsACommandTheServerKnows() throws Exception {
        try (RawClient c = greeted(server)) {
            for (String verb : supportedCommands(c.command("HELP"), 250)) {
                assertTrue(c.command("HELP " + verb).startsWith("250 Syntax: " + verb), verb);
            }
        }
    }

    static Stream<Arguments> syntaxes() {
        return Stream.of(
                Arguments.of("HELO", "250 Syntax: HELO hostname"),
                Arguments.of("EHLO", "250 Syntax: EHLO hostname"),
                Arguments.of("MAIL", "250 Syntax: MAIL FROM: <address>"),
                Arguments.of("RCPT", "250 Syntax: RCPT TO: <address>"),
                Arguments.of("DATA", "250 Syntax: DATA"),
                Arguments.of("RSET", "250 Syntax: RSET"),
                Arguments.of("NOOP", "250 Syntax: NOOP [ignored]"),
                Arguments.of("QUIT", "250 Syntax: QUIT"),
                Arguments.of("VRFY", "250 Syntax: VRFY <address>"),
                Arguments.of("HELP", "250 Syntax: HELP [command]"),
                Arguments.of("mail", "250 Syntax: MAIL FROM: <address>"));
    }

    @ParameterizedTest
    @MethodSource("syntaxes")
    void helpOfACommandShowsItsSyntax(String verb, String reply) throws Exception {
        try (RawClient c = greeted(server)) {
            assertEquals(reply, c.command("HELP " + verb));
        }
    }

    @Test
    void afterEhloMailAndRcptShowTheirParameters() throws Exception {
        try (RawClient c = ehloed(server)) {
            assertEquals("250 Syntax: MAIL FROM: <address> [SP <mail-parameters>]", c.command("HELP MAIL"));
            assertEquals("250 Syntax: RCPT TO: <address> [SP <mail-parameters>]", c.command("HELP RCPT"));
            assertEquals("250 Syntax: DATA", c.command("HELP DATA"));
        }
    }

    @Test
    void helpOfAnUnknownCommandIs501WithTheList() throws Exception {
        try (RawClient c = greeted(server)) {
            String list = c.command("HELP");
            assertEquals("501" + list.substring(3), c.command("HELP me!"));
            assertEquals("501" + list.substring(3), c.command("HELP EXPN"), "EXPN has no syntax");
            assertEquals("501" + list.substring(3), c.command("HELP STARTTLS"), "no TLS configured");
        }
    }
}
