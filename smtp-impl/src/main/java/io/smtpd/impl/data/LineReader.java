package io.smtpd.impl.data;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts command lines out of raw bytes. A line ends at LF (a CR before it is removed; a bare LF is accepted as
 * aiosmtpd accepts it). A line longer than the hard limit is drained up to its LF without being buffered, and
 * reported as {@link #OVERLONG}; a line cut short by the end of the stream is never returned.
 */
public final class LineReader {
    /** Returned for a line that exceeded the hard limit. */
    public static final byte[] OVERLONG = new byte[0];

    private final int hardLimit;
    private byte[] partial;
    private int partialLength;
    private boolean overlong;

    /** @param hardLimit the most octets of one line (without its line end) ever held in memory */
    public LineReader(int hardLimit) {
        this.hardLimit = hardLimit;
    }

    /**
     * Consumes bytes of {@code in} up to and including the next LF.
     *
     * @return the line without its line end, {@link #OVERLONG}, or {@code null} when {@code in} ran out first (then
     *     it is empty, its bytes kept for the next call)
     */
    public byte[] read(ByteBuffer in) {
        int start = in.position();
        int end = in.limit();
        int lf = -1;
        for (int i = start; i < end; i++) {
            if (in.get(i) == '\n') {
                lf = i;
                break;
            }
        }
        if (lf < 0) {
            keep(in, end - start);
            return null;
        }
        int count = lf - start;
        boolean cr = count > 0 ? in.get(lf - 1) == '\r' : partialLength > 0 && partial[partialLength - 1] == '\r';
        if (overlong || partialLength + count - (cr ? 1 : 0) > hardLimit) {
            in.position(lf + 1);
            reset();
            return OVERLONG;
        }
        byte[] line;
        if (partialLength == 0) {
            int n = count > 0 && in.get(lf - 1) == '\r' ? count - 1 : count;
            line = new byte[n];
            in.get(line);
            in.position(lf + 1);
            reset();
            return line;
        }
        line = Arrays.copyOf(partial, partialLength + count);
        in.get(line, partialLength, count);
        in.get(); // the LF
        reset();
        int length = line.length;
        if (length > 0 && line[length - 1] == '\r') {
            line = Arrays.copyOf(line, length - 1);
        }
        return line;
    }

    /** Whether part of a line is waiting for its end. */
    public boolean hasPartial() {
        return partialLength > 0 || overlong;
    }

    /** Forgets a partial line (STARTTLS: what came in clear after it is never executed). */
    public void clear() {
        reset();
        partial = null;
    }

    private void keep(ByteBuffer in, int count) {
        if (overlong || partialLength + count > hardLimit + 1) {
            overlong = true;
            partial = null;
            partialLength = 0;
            in.position(in.limit());
            return;
        }
        if (partial == null || partial.length < partialLength + count) {
            partial = Arrays.copyOf(partial == null ? new byte[0] : partial,
                    Math.min(hardLimit + 1, Math.max(256, (partialLength + count) * 2)));
        }
        in.get(partial, partialLength, count);
        partialLength += count;
    }

    private void reset() {
        partialLength = 0;
        overlong = false;
        if (partial != null && partial.length > 1024) {
            partial = null; // do not keep a large buffer on an idle session
        }
    }
}
