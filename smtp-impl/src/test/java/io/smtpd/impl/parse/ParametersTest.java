package io.smtpd.impl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ESMTP parameters as aiosmtpd's {@code params.upper().split()} and {@code _getparams} read them. */
class ParametersTest {

    @Test
    void optionsAreUpperCasedAndSplitOnWhiteSpace() {
        assertEquals(List.of("SIZE=10000", "BODY=8BITMIME", "SMTPUTF8"),
                Parameters.options("  size=10000 \t Body=8bitmime   smtputf8 "));
    }

    @Test
    void noTextMeansNoOptions() {
        assertEquals(List.of(), Parameters.options(""));
        assertEquals(List.of(), Parameters.options("   "));
    }

    @Test
    void keywordsMapToTheirValuesInOrder() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("SIZE", "10000");
        expected.put("SMTPUTF8", Parameters.NO_VALUE);
        expected.put("BODY", "7BIT");
        Map<String, String> parsed = Parameters.parse(List.of("SIZE=10000", "SMTPUTF8", "BODY=7BIT"));
        assertEquals(expected, parsed);
        assertEquals(List.of("SIZE", "SMTPUTF8", "BODY"), List.copyOf(parsed.keySet()));
    }

    @Test
    void valueIsEverythingAfterTheFirstEqualsSign() {
        assertEquals(Map.of("X", "1=2"), Parameters.parse(List.of("X=1=2")));
    }

    @Test
    void laterKeywordReplacesAnEarlierOne() {
        assertEquals(Map.of("SIZE", "2"), Parameters.parse(List.of("SIZE=1", "SIZE=2")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#$%=!@#", "SIZE=", "=10", "SI-ZE=1", "SIZE:10", "<A@B>", "(COMMENT)", ""})
    void malformedParameterIsASyntaxError(String option) {
        assertNull(Parameters.parse(List.of("SIZE=1", option)));
    }

    @Test
    void noParametersIsAnEmptyMap() {
        assertEquals(Map.of(), Parameters.parse(List.of()));
    }
}
