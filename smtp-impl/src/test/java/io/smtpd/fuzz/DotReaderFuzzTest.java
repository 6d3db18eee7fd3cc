package io.smtpd.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.smtpd.impl.data.DataOutcome;
import io.smtpd.impl.data.DotReader;
import io.smtpd.server.BareLineEndPolicy;

/**
 * The DATA reader against a reference model written from RFC 5321 4.5.2 and CLI.md, on arbitrary bytes cut
 * arbitrarily: it never throws, ends exactly at the first line that is a lone dot between CRLFs (never on a bare CR
 * or LF: SMTP smuggling), consumes nothing after it, unstuffs dots, applies the bare line end policy, and holds no
 * more content than the size limit. Which limit is reported is the one the model crosses first.
 *
 * <p>Input: {@code policy, sizeLimit (2 bytes), lineLimit, 4 chunk lengths, buffer kind}, then the bytes.
 */
class DotReaderFuzzTest {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final BareLineEndPolicy[] POLICIES = BareLineEndPolicy.values();
    /**
     * Known bug: when the size and the line limit are both crossed within one run of ordinary bytes, DotReader checks
     * the limits once for the run and reports TOO_LONG even when the size limit was crossed first, so the reply (500
     * or 552) depends on how TCP cut the stream (seed {@code regression-limit-order}). While true, only "some limit
     * was reported" is checked when both limits are crossed; set it to false once DotReader checks per octet.
     */
    static final boolean TOLERATE_LIMIT_ORDER_BUG = false;

    @FuzzTest(maxDuration = "30s")
    void dataReader(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        BareLineEndPolicy policy = POLICIES[input.u8() % POLICIES.length];
        long sizeLimit = input.u16() % 1024; // 0: no limit
        int b = input.u8();
        int lineLimit = b == 255 ? 1000 : 1 + b;
        int[] sizes = input.bytes(4);
        int kind = input.u8();
        byte[] payload = input.rest();

        Expected expected = model(payload, sizeLimit, lineLimit, policy);
        DotReader reader = new DotReader(sizeLimit, lineLimit, policy);
        List<ByteBuffer> chunks = FuzzInput.chunks(payload, sizes, kind);
        long consumed = 0;
        boolean done = false;
        for (ByteBuffer chunk : chunks) {
            int before = chunk.remaining();
            done = reader.read(chunk);
            consumed += before - chunk.remaining();
            if (reader.outcome() == DataOutcome.NOMINAL && sizeLimit > 0) {
                assertTrue(reader.content().length <= sizeLimit, "content held over the size limit");
            }
            if (reader.outcome() != DataOutcome.NOMINAL) {
                assertEquals(0, reader.content().length, "content kept after a limit was crossed");
            }
            if (done) {
                break;
            }
            assertFalse(chunk.hasRemaining(), "input left unread without a terminator");
        }
        assertEquals(expected.done, done, "terminator found where the model finds none, or missed");
        if (!done) {
            return;
        }
        assertEquals(expected.consumed, consumed, "bytes consumed up to the terminator");
        if (TOLERATE_LIMIT_ORDER_BUG && expected.outcome != DataOutcome.NOMINAL && expected.bothCrossed) {
            assertTrue(reader.outcome() != DataOutcome.NOMINAL, "a crossed limit was not reported");
        } else {
            assertEquals(expected.outcome, reader.outcome(), "outcome");
        }
        assertEquals(expected.content.length, reader.size(), "size");
        assertEquals(expected.bare, reader.sawBareLineEnd(), "bare line end seen");
        if (expected.outcome == DataOutcome.NOMINAL) {
            assertArrayEquals(expected.content, reader.content(), "content");
        }
    }

    /** What the model says about one input. */
    record Expected(boolean done, int consumed, byte[] content, DataOutcome outcome, boolean bare,
                    boolean bothCrossed) {
    }

    /**
     * The reference: cut the input into CRLF-terminated lines; the first line that is exactly "." ends the message.
     * Each line before it loses one leading dot; a CR or LF in a line (bare) is kept, or made CRLF with NORMALIZE.
     * The content is those lines, each with its CRLF. Limits are checked octet by octet over the content: a line (up
     * to and including each LF) longer than the line limit is TOO_LONG, more octets than the size limit TOO_MUCH;
     * the first crossed wins.
     */
    static Expected model(byte[] in, long sizeLimit, int lineLimit, BareLineEndPolicy policy) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        boolean bare = false;
        int lineStart = 0;
        int end = -1;
        while (true) {
            int crlf = FuzzInput.indexOf(in, CRLF, lineStart);
            if (crlf < 0) {
                break;
            }
            if (crlf - lineStart == 1 && in[lineStart] == '.') {
                end = crlf + 2;
                break;
            }
            int from = lineStart < crlf && in[lineStart] == '.' ? lineStart + 1 : lineStart;
            for (int i = from; i < crlf; i++) {
                byte c = in[i];
                if (c == '\r' || c == '\n') {
                    bare = true;
                    if (policy == BareLineEndPolicy.NORMALIZE) {
                        content.write('\r');
                        content.write('\n');
                        continue;
                    }
                }
                content.write(c);
            }
            content.write('\r');
            content.write('\n');
            lineStart = crlf + 2;
        }
        if (end < 0) {
            return new Expected(false, in.length, null, null, false, false);
        }
        byte[] bytes = content.toByteArray();
        DataOutcome outcome = DataOutcome.NOMINAL;
        boolean tooLong = false;
        int line = 0;
        for (int k = 0; k < bytes.length; k++) {
            line++;
            if (line > lineLimit) {
                tooLong = true;
                if (outcome == DataOutcome.NOMINAL) {
                    outcome = DataOutcome.TOO_LONG;
                }
            } else if (sizeLimit > 0 && k + 1 > sizeLimit && outcome == DataOutcome.NOMINAL) {
                outcome = DataOutcome.TOO_MUCH;
            }
            if (bytes[k] == '\n') {
                line = 0;
            }
        }
        boolean tooMuch = sizeLimit > 0 && bytes.length > sizeLimit;
        return new Expected(true, end, bytes, outcome, bare, tooLong && tooMuch);
    }
}
