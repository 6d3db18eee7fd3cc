package io.smtpd.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.smtpd.impl.data.LineReader;

/**
 * The command line reader on arbitrary bytes cut arbitrarily, against a model: lines end at LF, one CR before it is
 * removed, a line longer than the hard limit (without its CR LF) is {@link LineReader#OVERLONG}, a line without its
 * LF is never returned; and however long a line is, the reader never holds more than the hard limit plus one octet
 * (a CR waiting for its LF).
 *
 * <p>Input: {@code hardLimit, 4 chunk lengths, buffer kind}, then the bytes.
 */
class LineReaderFuzzTest {
    private static final Field PARTIAL = field("partial");

    @FuzzTest(maxDuration = "30s")
    void commandLines(byte[] data) throws IllegalAccessException {
        check(data);
    }

    static void check(byte[] data) throws IllegalAccessException {
        FuzzInput input = new FuzzInput(data);
        int hardLimit = input.u8() + (input.u8() & 1) * 256; // 0..511
        int[] sizes = input.bytes(4);
        int kind = input.u8();
        byte[] payload = input.rest();

        LineReader reader = new LineReader(hardLimit);
        List<byte[]> lines = new ArrayList<>();
        for (ByteBuffer chunk : FuzzInput.chunks(payload, sizes, kind)) {
            while (true) {
                byte[] line = reader.read(chunk);
                byte[] held = PARTIAL == null ? null : (byte[]) PARTIAL.get(reader);
                assertTrue(held == null || held.length <= hardLimit + 1,
                        () -> "buffered " + held.length + " octets, hard limit " + hardLimit);
                if (line == null) {
                    assertFalse(chunk.hasRemaining(), "null returned with input left");
                    break;
                }
                assertTrue(line == LineReader.OVERLONG || line.length <= hardLimit, "line over the hard limit");
                lines.add(line);
            }
        }

        List<byte[]> expected = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] != '\n') {
                continue;
            }
            int end = i > start && payload[i - 1] == '\r' ? i - 1 : i;
            if (end - start > hardLimit) {
                expected.add(LineReader.OVERLONG);
            } else {
                expected.add(Arrays.copyOfRange(payload, start, end));
            }
            start = i + 1;
        }
        assertEquals(expected.size(), lines.size(), "number of lines");
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i) == LineReader.OVERLONG) {
                assertSame(LineReader.OVERLONG, lines.get(i), "line " + i + " should be OVERLONG");
            } else {
                assertNotNull(lines.get(i));
                assertArrayEquals(expected.get(i), lines.get(i), "line " + i);
            }
        }
        assertEquals(start < payload.length, reader.hasPartial(), "partial line pending");
    }

    /** The reader's buffer for a partial line, looked at to bound memory; {@code null} if it was renamed. */
    private static Field field(String name) {
        try {
            Field f = LineReader.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.getType() == byte[].class ? f : null;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }
}
