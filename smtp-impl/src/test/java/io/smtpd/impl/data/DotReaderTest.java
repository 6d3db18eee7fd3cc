package io.smtpd.impl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.smtpd.server.BareLineEndPolicy;

/**
 * DATA content from raw bytes: dot-unstuffing, the {@code CRLF.CRLF} terminator and nothing else, and the limits.
 * Every case is fed whole, cut at every byte boundary, cut at every pair of boundaries, and byte by byte: the
 * result never depends on how the bytes arrive.
 */
class DotReaderTest {
    private static final int LINE_LIMIT = 1000;

    /** What reading produced: whether the end was found, the outcome, the content, the bytes after the end. */
    record Result(boolean found, DataOutcome outcome, String content, long size, String after) {
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of("Subject: hi\r\n\r\nbody\r\n.\r\n", "Subject: hi\r\n\r\nbody\r\n"),
                Arguments.of(".\r\n", ""),
                Arguments.of("\r\n.\r\n", "\r\n"),
                Arguments.of("..dot\r\n.\r\n", ".dot\r\n"),
                Arguments.of("...\r\n.\r\n", "..\r\n"),
                Arguments.of("a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n"),
                Arguments.of("Test\r\n..\r\nmail\r\n.\r\n", "Test\r\n.\r\nmail\r\n"),
                Arguments.of("not.a.stuffed.dot\r\n.\r\n", "not.a.stuffed.dot\r\n"),
                Arguments.of("x.\r\n.\r\n", "x.\r\n"),
                // bare LF and bare CR never end the message, and a dot after them is content (not stuffing)
                Arguments.of("a\n.\nb\r\n.\r\n", "a\n.\nb\r\n"),
                Arguments.of("a\r.\rb\r\n.\r\n", "a\r.\rb\r\n"),
                Arguments.of("a\n.\r\nb\r\n.\r\n", "a\n.\r\nb\r\n"),
                Arguments.of("a\r\n.\nb\r\n.\r\n", "a\r\n\nb\r\n"),
                Arguments.of("a\r\n.\rb\r\n.\r\n", "a\r\n\rb\r\n"),
                Arguments.of("a\r\n.\r\r\n.\r\n", "a\r\n\r\r\n"),
                Arguments.of("a\r\r\n.\r\n", "a\r\r\n"),
                Arguments.of("Testing\n.\r\nNO SMUGGLING\n\r\n.\r\n", "Testing\n.\r\nNO SMUGGLING\n\r\n"),
                Arguments.of("a\n\n.\n\nb\r\n.\r\n", "a\n\n.\n\nb\r\n"),
                Arguments.of("bin\u0000ary\u00ff\r\n.\r\n", "bin\u0000ary\u00ff\r\n"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void findsTheEndAndUnstuffsDotsHoweverTheBytesAreCut(String input, String content) {
        Result expected = new Result(true, DataOutcome.NOMINAL, content, content.length(), "");
        assertSameWhateverTheCuts(input, expected, 0, BareLineEndPolicy.ALLOW);
    }

    @Test
    void bytesAfterTheTerminatorAreLeftForTheNextCommand() {
        Result expected = new Result(true, DataOutcome.NOMINAL, "x\r\n", 3, "QUIT\r\nNOOP\r\n");
        assertSameWhateverTheCuts("x\r\n.\r\nQUIT\r\nNOOP\r\n", expected, 0, BareLineEndPolicy.ALLOW);
    }

    @Test
    void secondTerminatorBelongsToTheNextMessage() {
        Result expected = new Result(true, DataOutcome.NOMINAL, "", 0, ".\r\n");
        assertSameWhateverTheCuts(".\r\n.\r\n", expected, 0, BareLineEndPolicy.ALLOW);
    }

    @Test
    void incompleteTerminatorsDoNotEndTheMessage() {
        for (String input : List.of("x\r\n.", "x\r\n.\r", "x\r\n", "x", ".", ".\r", "x\n.\n", "x\r.\r", "x\r\n.\n",
                "x\n.\r\n", "x\r\n .\r\n", "x\r\n..\r\n")) {
            Result whole = feed(bytes(input), new int[0], 0, BareLineEndPolicy.ALLOW);
            assertFalse(whole.found(), () -> "ended by " + escape(input));
            assertSameWhateverTheCuts(input, whole, 0, BareLineEndPolicy.ALLOW);
        }
    }

    @Test
    void normalizePolicyStoresBareLineEndsAsCrlfWhateverTheCuts() {
        Result expected = new Result(true, DataOutcome.NOMINAL, "a\r\n.\r\nb\r\n.\r\nc\r\n", 15, "");
        assertSameWhateverTheCuts("a\n.\nb\r.\rc\r\n.\r\n", expected, 0, BareLineEndPolicy.NORMALIZE);
        Result crCrLf = new Result(true, DataOutcome.NOMINAL, "x\r\n\r\n", 5, "");
        assertSameWhateverTheCuts("x\r\r\n.\r\n", crCrLf, 0, BareLineEndPolicy.NORMALIZE);
    }

    @Test
    void rejectPolicyKeepsReadingToTheTerminatorAndFlagsTheMessage() {
        DotReader reader = new DotReader(0, LINE_LIMIT, BareLineEndPolicy.REJECT);
        assertTrue(reader.read(ByteBuffer.wrap(bytes("a\n.\nb\r\n.\r\n"))));
        assertTrue(reader.sawBareLineEnd());
        DotReader clean = new DotReader(0, LINE_LIMIT, BareLineEndPolicy.REJECT);
        assertTrue(clean.read(ByteBuffer.wrap(bytes("a\r\n..b\r\n.\r\n"))));
        assertFalse(clean.sawBareLineEnd());
    }

    @Test
    void lineOf998OctetsAndCrlfIsAccepted() {
        String line = "z".repeat(998) + "\r\n";
        assertSameWhateverTheCuts(line + ".\r\n",
                new Result(true, DataOutcome.NOMINAL, line, 1000, ""), 0, BareLineEndPolicy.ALLOW);
    }

    @Test
    void stuffedDotDoesNotCountTowardsTheLineLimit() {
        String line = "." + "z".repeat(998) + "\r\n";
        String content = "z".repeat(998) + "\r\n";
        assertSameWhateverTheCuts(line + ".\r\n",
                new Result(true, DataOutcome.NOMINAL, content, 1000, ""), 0, BareLineEndPolicy.ALLOW);
    }

    @Test
    void lineOf999OctetsAndCrlfIsTooLongAndReadToTheEnd() {
        String input = "a\r\n" + "z".repeat(999) + "\r\nb\r\n.\r\nNOOP\r\n";
        Result result = feed(bytes(input), new int[0], 0, BareLineEndPolicy.ALLOW);
        assertTrue(result.found());
        assertEquals(DataOutcome.TOO_LONG, result.outcome());
        assertEquals("", result.content(), "content is dropped once a limit is passed");
        assertEquals("NOOP\r\n", result.after());
        assertSameWhateverTheCuts(input, result, 0, BareLineEndPolicy.ALLOW);
    }

    @Test
    void hugeLineIsTooLongAndItsEndIsStillFound() {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(bytes("x".repeat(5555) + "\r\n" + "y".repeat(5555) + "\r\n" + "z".repeat(5555) + "\r\n.\r\n"));
        Result result = feedInChunks(input.toByteArray(), 100, 0);
        assertTrue(result.found());
        assertEquals(DataOutcome.TOO_LONG, result.outcome());
        assertEquals(3 * 5557, result.size());
    }

    @Test
    void contentAtTheSizeLimitIsAccepted() {
        // the size counts the octets after unstuffing, line ends included (CLI.md)
        assertSameWhateverTheCuts("12345678\r\n.\r\n",
                new Result(true, DataOutcome.NOMINAL, "12345678\r\n", 10, ""), 10, BareLineEndPolicy.ALLOW);
        assertSameWhateverTheCuts("..2345678\r\n.\r\n",
                new Result(true, DataOutcome.NOMINAL, ".2345678\r\n", 10, ""), 10, BareLineEndPolicy.ALLOW);
    }

    @Test
    void contentOverTheSizeLimitIsTooMuchAndDroppedWhileTheEndIsStillFound() {
        assertSameWhateverTheCuts("123456789\r\n.\r\nQUIT\r\n",
                new Result(true, DataOutcome.TOO_MUCH, "", 11, "QUIT\r\n"), 10, BareLineEndPolicy.ALLOW);
    }

    @Test
    void tooMuchBeforeATooLongLineIsTooMuch() {
        // aiosmtpd test_too_long_body_then_too_long_lines: 552, not 500
        String mail = String.join("\r\n", repeat("z".repeat(76), 10)) + "\r\n" + "a".repeat(1100) + "\r\n"
                + "a".repeat(1100) + "\r\n.\r\n";
        Result result = feed(bytes(mail), new int[0], 700, BareLineEndPolicy.ALLOW);
        assertEquals(DataOutcome.TOO_MUCH, result.outcome());
    }

    @Test
    void tooLongLineBeforeTooMuchIsTooLong() {
        // aiosmtpd test_too_long_lines_then_too_long_body: 500, not 552
        String mail = "z".repeat(1999) + "\r\n" + "z".repeat(1999) + "\r\n.\r\n";
        Result result = feed(bytes(mail), new int[0], 2000, BareLineEndPolicy.ALLOW);
        assertEquals(DataOutcome.TOO_LONG, result.outcome());
    }

    @Test
    void megabytesOverTheLimitKeepNoContentAndStillFindTheEnd() {
        DotReader reader = new DotReader(1000, LINE_LIMIT);
        byte[] line = bytes("z".repeat(78) + "\r\n");
        ByteBuffer chunk = ByteBuffer.allocate(line.length * 800);
        while (chunk.remaining() >= line.length) {
            chunk.put(line);
        }
        chunk.flip();
        for (int i = 0; i < 400; i++) { // 25 MB
            assertFalse(reader.read(chunk.duplicate()));
            assertEquals(0, reader.content().length, "nothing is held past the limit");
        }
        assertTrue(reader.read(ByteBuffer.wrap(bytes(".\r\n"))));
        assertEquals(DataOutcome.TOO_MUCH, reader.outcome());
        assertEquals(400L * chunk.remaining(), reader.size());
    }

    @Test
    void lineEndsAreReportedForTheIdleTimer() {
        DotReader reader = new DotReader(0, LINE_LIMIT);
        reader.read(ByteBuffer.wrap(bytes("abc")));
        assertFalse(reader.takeLineEnd());
        reader.read(ByteBuffer.wrap(bytes("\r\nde")));
        assertTrue(reader.takeLineEnd());
        assertFalse(reader.takeLineEnd(), "the flag resets");
        assertTrue(reader.read(ByteBuffer.wrap(bytes("\r\n.\r\n"))));
        assertTrue(reader.takeLineEnd());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static void assertSameWhateverTheCuts(String input, Result expected, long sizeLimit,
                                                  BareLineEndPolicy policy) {
        byte[] bytes = bytes(input);
        assertEquals(expected, feed(bytes, new int[0], sizeLimit, policy), () -> "whole: " + escape(input));
        for (int i = 0; i <= bytes.length; i++) {
            int cut = i;
            assertEquals(expected, feed(bytes, new int[] {cut}, sizeLimit, policy),
                    () -> "cut at " + cut + ": " + escape(input));
        }
        if (bytes.length <= 64) {
            for (int i = 0; i <= bytes.length; i++) {
                for (int j = i; j <= bytes.length; j++) {
                    int a = i;
                    int b = j;
                    assertEquals(expected, feed(bytes, new int[] {a, b}, sizeLimit, policy),
                            () -> "cut at " + a + " and " + b + ": " + escape(input));
                }
            }
        }
        int[] everyByte = new int[bytes.length];
        Arrays.setAll(everyByte, k -> k);
        assertEquals(expected, feed(bytes, everyByte, sizeLimit, policy), () -> "byte by byte: " + escape(input));
    }

    /** Feeds {@code input} cut at {@code cuts} (ascending offsets), as the network would deliver it. */
    private static Result feed(byte[] input, int[] cuts, long sizeLimit, BareLineEndPolicy policy) {
        DotReader reader = new DotReader(sizeLimit, LINE_LIMIT, policy);
        List<ByteBuffer> chunks = new ArrayList<>();
        int start = 0;
        for (int cut : cuts) {
            chunks.add(ByteBuffer.wrap(input, start, cut - start));
            start = cut;
        }
        chunks.add(ByteBuffer.wrap(input, start, input.length - start));
        return collect(reader, chunks);
    }

    private static Result feedInChunks(byte[] input, int chunk, long sizeLimit) {
        List<ByteBuffer> chunks = new ArrayList<>();
        for (int i = 0; i < input.length; i += chunk) {
            chunks.add(ByteBuffer.wrap(input, i, Math.min(chunk, input.length - i)));
        }
        return collect(new DotReader(sizeLimit, LINE_LIMIT), chunks);
    }

    private static Result collect(DotReader reader, List<ByteBuffer> chunks) {
        boolean found = false;
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        for (ByteBuffer chunk : chunks) {
            if (!found) {
                found = reader.read(chunk);
                if (!found) {
                    assertFalse(chunk.hasRemaining(), "a chunk without the end is consumed whole");
                }
            }
            byte[] rest = new byte[chunk.remaining()];
            chunk.get(rest);
            after.writeBytes(rest);
        }
        return new Result(found, reader.outcome(), new String(reader.content(), StandardCharsets.ISO_8859_1),
                reader.size(), after.toString(StandardCharsets.ISO_8859_1));
    }

    private static List<String> repeat(String s, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s);
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    @Test
    void contentIsACopyOfExactlyTheBytesReceived() {
        DotReader reader = new DotReader(0, LINE_LIMIT);
        assertTrue(reader.read(ByteBuffer.wrap(bytes("ab\r\n.\r\n"))));
        assertArrayEquals(bytes("ab\r\n"), reader.content());
    }
}
