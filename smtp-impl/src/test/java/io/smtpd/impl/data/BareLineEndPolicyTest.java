package io.smtpd.impl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.smtpd.server.BareLineEndPolicy;

class BareLineEndPolicyTest {
    private static final String SMUGGLING = "a\n.\nb\r.\rc\r\n.\r\n";

    private static DotReader read(String input, BareLineEndPolicy policy) {
        DotReader reader = new DotReader(0, 1000, policy);
        assertTrue(reader.read(ByteBuffer.wrap(input.getBytes(StandardCharsets.US_ASCII))), "terminator found");
        return reader;
    }

    private static String content(DotReader reader) {
        return new String(reader.content(), StandardCharsets.US_ASCII);
    }

    @Test
    void allowKeepsBareLineEndsAsSent() {
        DotReader reader = read(SMUGGLING, BareLineEndPolicy.ALLOW);
        assertEquals("a\n.\nb\r.\rc\r\n", content(reader));
        assertTrue(reader.sawBareLineEnd());
    }

    @Test
    void normalizeStoresBareLineEndsAsCrlfWithoutEndingTheMessage() {
        DotReader reader = read(SMUGGLING, BareLineEndPolicy.NORMALIZE);
        assertEquals("a\r\n.\r\nb\r\n.\r\nc\r\n", content(reader));
        assertTrue(reader.sawBareLineEnd());
    }

    @Test
    void normalizeHandlesCrCrLfAndDotCrSequences() {
        // the dot starts a line, so it is dot-stuffing and goes
        assertEquals("x\r\n\r\n\r\ny\r\n", content(read("x\r\r\n.\ry\r\n.\r\n", BareLineEndPolicy.NORMALIZE)));
    }

    @Test
    void cleanContentIsNotFlagged() {
        DotReader reader = read("Subject: x\r\n\r\n..dot\r\n.\r\n", BareLineEndPolicy.REJECT);
        assertFalse(reader.sawBareLineEnd());
        assertEquals("Subject: x\r\n\r\n.dot\r\n", content(reader));
    }

    @Test
    void rejectFlagsTheMessage() {
        assertTrue(read("a\nb\r\n.\r\n", BareLineEndPolicy.REJECT).sawBareLineEnd());
    }
}
