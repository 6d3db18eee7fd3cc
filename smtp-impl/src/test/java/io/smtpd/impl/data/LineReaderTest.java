package io.smtpd.impl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Command lines from raw bytes: LF ends a line (a CR before it goes), an over-long line is drained and reported
 * once, a line cut short by the end of input is never returned. Every case is fed whole, cut at every byte
 * boundary, at every pair of boundaries, and byte by byte, with the same lines as the result.
 */
class LineReaderTest {
    private static final String OVERLONG = "<OVERLONG>";
    private static final String PARTIAL = "<PARTIAL>";

    @Test
    void crlfAndBareLfEndLines() {
        assertLines("EHLO x\r\nMAIL FROM:<a@b>\nRCPT TO:<c@d>\r\n", 512,
                "EHLO x", "MAIL FROM:<a@b>", "RCPT TO:<c@d>");
    }

    @Test
    void emptyLinesAreLines() {
        assertLines("\r\n\n\r\nNOOP\r\n", 512, "", "", "", "NOOP");
    }

    @Test
    void onlyTheCrRightBeforeTheLfIsRemoved() {
        assertLines("A\r\r\nB\rC\r\n\r\r\n", 512, "A\r", "B\rC", "\r");
    }

    @Test
    void bareCrDoesNotEndALine() {
        assertLines("NOOP\rQUIT\r\n", 512, "NOOP\rQUIT");
    }

    @Test
    void lineWithoutItsEndIsNeverReturned() {
        assertLines("NOOP\r\nQUIT", 512, "NOOP", PARTIAL);
        assertLines("NOOP\r\nQUIT\r", 512, "NOOP", PARTIAL);
    }

    @Test
    void lineAtTheHardLimitIsReturned() {
        String line = "x".repeat(64);
        assertLines(line + "\r\n" + line + "\n", 64, line, line);
    }

    @Test
    void lineOverTheHardLimitIsReportedOnceAndTheNextLineIsRead() {
        assertLines("x".repeat(65) + "\r\nNOOP\r\n", 64, OVERLONG, "NOOP");
        assertLines("x".repeat(500) + "\nNOOP\r\n", 64, OVERLONG, "NOOP");
    }

    @Test
    void lineOneOctetOverTheHardLimitWithABareLfIsOverlong() {
        // the limit is the most octets of a line, without its line end, ever held: 65 octets and LF exceed 64
        assertLines("x".repeat(65) + "\nNOOP\r\n", 64, OVERLONG, "NOOP");
    }

    @Test
    void hugeLineArrivingInPiecesIsDrainedWithoutBeingKept() {
        LineReader reader = new LineReader(64);
        ByteBuffer piece = ByteBuffer.wrap(bytes("x".repeat(8192)));
        for (int i = 0; i < 13; i++) { // about 100 KB without a line end
            assertNull(reader.read(piece.duplicate()));
            assertTrue(reader.hasPartial());
        }
        ByteBuffer end = ByteBuffer.wrap(bytes("xx\r\nNOOP\r\n"));
        assertSame(LineReader.OVERLONG, reader.read(end));
        assertEquals("NOOP", new String(reader.read(end), StandardCharsets.ISO_8859_1));
        assertFalse(reader.hasPartial());
        assertFalse(end.hasRemaining());
    }

    @Test
    void eightBitBytesArePassedThrough() {
        assertLines("MAIL FROM:<anne\u00ff@example.com>\r\n", 512, "MAIL FROM:<anne\u00ff@example.com>");
    }

    @Test
    void readStopsRightAfterEachLine() {
        LineReader reader = new LineReader(512);
        ByteBuffer in = ByteBuffer.wrap(bytes("DATA\r\nnot a command\r\n"));
        assertEquals("DATA", new String(reader.read(in), StandardCharsets.ISO_8859_1));
        assertEquals(6, in.position(), "the rest is left for whoever reads next (DATA content)");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void assertLines(String input, int hardLimit, String... expected) {
        byte[] bytes = bytes(input);
        List<String> want = List.of(expected);
        assertEquals(want, feed(bytes, new int[0], hardLimit), () -> "whole: " + DotReaderTest.escape(input));
        for (int i = 0; i <= bytes.length; i++) {
            int cut = i;
            assertEquals(want, feed(bytes, new int[] {cut}, hardLimit),
                    () -> "cut at " + cut + ": " + DotReaderTest.escape(input));
        }
        if (bytes.length <= 80) {
            for (int i = 0; i <= bytes.length; i++) {
                for (int j = i; j <= bytes.length; j++) {
                    int a = i;
                    int b = j;
                    assertEquals(want, feed(bytes, new int[] {a, b}, hardLimit),
                            () -> "cut at " + a + " and " + b + ": " + DotReaderTest.escape(input));
                }
            }
        }
        int[] everyByte = new int[bytes.length];
        Arrays.setAll(everyByte, k -> k);
        assertEquals(want, feed(bytes, everyByte, hardLimit),
                () -> "byte by byte: " + DotReaderTest.escape(input));
    }

    private static List<String> feed(byte[] input, int[] cuts, int hardLimit) {
        LineReader reader = new LineReader(hardLimit);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int k = 0; k <= cuts.length; k++) {
            int end = k < cuts.length ? cuts[k] : input.length;
            ByteBuffer chunk = ByteBuffer.wrap(input, start, end - start);
            while (true) {
                byte[] line = reader.read(chunk);
                if (line == null) {
                    assertFalse(chunk.hasRemaining(), "a chunk without a line end is consumed whole");
                    break;
                }
                lines.add(line == LineReader.OVERLONG ? OVERLONG : new String(line, StandardCharsets.ISO_8859_1));
            }
            start = end;
        }
        if (reader.hasPartial()) {
            lines.add(PARTIAL);
        }
        return lines;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
