package io.smtpd.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.smtpd.impl.parse.AddressParser;
import io.smtpd.impl.parse.Parameters;
import io.smtpd.impl.parse.ParsedAddress;

/**
 * ESMTP parameters on any text, alone and after an address as MAIL and RCPT read them: never an exception; options
 * are non-empty and hold no white space or line end; a parsed keyword is non-empty, alphanumeric and without
 * {@code =}, and a value is present whenever {@code =} was.
 */
class ParametersFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parameters(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        String text = FuzzText.of(data);
        check(text);
        ParsedAddress parsed = AddressParser.parse(text);
        if (parsed != null) {
            check(parsed.rest());
        }
    }

    private static void check(String rest) {
        List<String> options = Parameters.options(rest);
        assertNotNull(options);
        for (String option : options) {
            assertFalse(option.isEmpty(), "empty option");
            for (int i = 0; i < option.length(); i++) {
                char c = option.charAt(i);
                assertTrue(c != ' ' && c != '\t' && c != '\r' && c != '\n', "white space or line end in an option");
            }
        }
        Map<String, String> parsed = Parameters.parse(options);
        if (parsed == null) {
            return;
        }
        assertTrue(parsed.size() <= options.size());
        for (String option : options) {
            int eq = option.indexOf('=');
            assertTrue(eq < 0 || eq + 1 < option.length(), "a keyword with = but no value was accepted: " + option);
            String keyword = eq < 0 ? option : option.substring(0, eq);
            assertTrue(parsed.containsKey(keyword), "option lost: " + option);
        }
        for (Map.Entry<String, String> e : parsed.entrySet()) {
            String keyword = e.getKey();
            assertFalse(keyword.isEmpty(), "empty keyword");
            assertEquals(-1, keyword.indexOf('='), "= in a keyword");
            keyword.codePoints().forEach(cp -> assertTrue(Character.isLetterOrDigit(cp), "keyword not alphanumeric"));
            assertNotNull(e.getValue());
        }
    }
}
