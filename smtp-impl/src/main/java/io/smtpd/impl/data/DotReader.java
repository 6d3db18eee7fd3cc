package io.smtpd.impl.data;

import java.nio.ByteBuffer;

import io.smtpd.server.BareLineEndPolicy;

/**
 * Reads the content of DATA (RFC 5321 4.5.2) from raw bytes: removes dot-stuffing, finds the end, which is exactly
 * {@code CRLF . CRLF} (a bare CR or LF never ends or splits the message: SMTP smuggling, CVE-2023-51764), and
 * enforces the size and line limits while the bytes stream in. Content past a limit is dropped at once, so
 * memory stays bounded whatever the client sends; the terminator is still looked for.
 *
 * <p>The content keeps the line ends as sent, including the CRLF before the terminating dot, as aiosmtpd's
 * {@code original_content} does; a bare CR or LF is kept, made CRLF, or refused, as the {@link BareLineEndPolicy}
 * says.
 */
public final class DotReader {
    private enum State { LINE_START, DOT, DOT_CR, MIDDLE, CR }

    private final long sizeLimit;
    private final int lineLimit;
    private final BareLineEndPolicy bareLineEnds;
    private boolean sawBareLineEnd;
    private ContentBuffer content = new ContentBuffer();
    private State state = State.LINE_START;
    private DataOutcome outcome = DataOutcome.NOMINAL;
    private long size;
    private int lineLength;
    private boolean sawLineEnd;

    /**
     * @param sizeLimit octets of content allowed, 0 for no limit but what a Java array holds
     * @param lineLimit octets per line, line end included
     */
    public DotReader(long sizeLimit, int lineLimit) {
        this(sizeLimit, lineLimit, BareLineEndPolicy.ALLOW);
    }

    /**
     * @param sizeLimit    octets of content allowed, 0 for no limit but what a Java array holds
     * @param lineLimit    octets per line, line end included
     * @param bareLineEnds what to do with a bare CR or LF in the content
     */
    public DotReader(long sizeLimit, int lineLimit, BareLineEndPolicy bareLineEnds) {
        this.sizeLimit = sizeLimit;
        this.lineLimit = lineLimit;
        this.bareLineEnds = bareLineEnds;
    }

    /**
     * Consumes bytes from {@code in} up to and including the terminator.
     *
     * @return whether the terminator was found; {@code in} is then positioned just after it, else it is empty
     */
    public boolean read(ByteBuffer in) {
        while (in.hasRemaining()) {
            switch (state) {
                case MIDDLE:
                    copyRun(in);
                    break;
                case LINE_START: {
                    byte b = in.get();
                    if (b == '.') {
                        state = State.DOT;
                    } else {
                        middle(b);
                    }
                    break;
                }
                case DOT: {
                    byte b = in.get();
                    if (b == '\r') {
                        state = State.DOT_CR;
                    } else {
                        middle(b); // the stuffed dot is dropped
                    }
                    break;
                }
                case DOT_CR: {
                    byte b = in.get();
                    if (b == '\n') {
                        sawLineEnd = true;
                        return true;
                    }
                    emit((byte) '\r');
                    state = State.CR;
                    afterCr(b);
                    break;
                }
                case CR:
                    afterCr(in.get());
                    break;
                default:
                    throw new IllegalStateException(state.toString());
            }
        }
        return false;
    }

    /** The content so far; valid once {@link #read} returned true and {@link #outcome()} is NOMINAL. */
    public byte[] content() {
        return content == null ? new byte[0] : content.toByteArray();
    }

    public DataOutcome outcome() {
        return outcome;
    }

    /** Whether the content held a bare CR or LF (whatever the policy did with it). */
    public boolean sawBareLineEnd() {
        return sawBareLineEnd;
    }

    /** Octets of content received, counted after unstuffing, dropped ones included. */
    public long size() {
        return size;
    }

    /** Whether a line end arrived since the last call; resets the flag (the idle timer uses it). */
    public boolean takeLineEnd() {
        boolean seen = sawLineEnd;
        sawLineEnd = false;
        return seen;
    }

    private void afterCr(byte b) {
        if (b == '\n') {
            emit(b);
            endLine();
            state = State.LINE_START;
            return;
        }
        bareCr();
        if (b == '\r') {
            emit(b);
        } else {
            middle(b);
        }
    }

    /** The CR just emitted was not followed by LF. */
    private void bareCr() {
        sawBareLineEnd = true;
        if (bareLineEnds == BareLineEndPolicy.NORMALIZE) {
            emit((byte) '\n');
            endLine();
        }
    }

    private void middle(byte b) {
        state = State.MIDDLE;
        if (b == '\r') {
            emit(b);
            state = State.CR;
        } else if (b == '\n') {
            sawBareLineEnd = true;
            if (bareLineEnds == BareLineEndPolicy.NORMALIZE) {
                emit((byte) '\r');
            }
            emit(b);
            endLine(); // a bare LF ends a line for the length limit, not for dot-stuffing
        } else {
            emit(b);
        }
    }

    /** Copies a run of ordinary bytes at once; stops before CR, after LF. */
    private void copyRun(ByteBuffer in) {
        int start = in.position();
        int end = in.limit();
        int i = start;
        if (in.hasArray()) {
            byte[] bytes = in.array();
            int offset = in.arrayOffset();
            while (i < end) {
                byte b = bytes[offset + i];
                if (b == '\r' || b == '\n') {
                    break;
                }
                i++;
            }
        } else {
            while (i < end) {
                byte b = in.get(i);
                if (b == '\r' || b == '\n') {
                    break;
                }
                i++;
            }
        }
        int run = i - start;
        if (run > 0) {
            emitRun(in, run);
        }
        if (i < end) {
            middle(in.get());
        }
    }

    private void emitRun(ByteBuffer in, int run) {
        if (outcome == DataOutcome.NOMINAL) {
            // the limit this run crosses first wins, wherever the stream was cut (byte by byte, the line limit is
            // checked first on a tie)
            long sizeRoom = sizeLimit > 0 ? sizeLimit - size : Long.MAX_VALUE;
            long lineRoom = (long) lineLimit - lineLength;
            if (run > lineRoom || run > sizeRoom) {
                fail(lineRoom <= sizeRoom ? DataOutcome.TOO_LONG : DataOutcome.TOO_MUCH);
            } else if (!content.fits(run)) {
                fail(DataOutcome.TOO_MUCH);
            }
        }
        size += run;
        lineLength += run;
        if (outcome == DataOutcome.NOMINAL) {
            content.append(in, run);
        } else {
            in.position(in.position() + run);
        }
    }

    private void emit(byte b) {
        size++;
        lineLength++;
        checkLimits();
        if (outcome == DataOutcome.NOMINAL) {
            content.append(b);
        }
    }

    private void endLine() {
        lineLength = 0;
        sawLineEnd = true;
    }

    private void checkLimits() {
        if (outcome != DataOutcome.NOMINAL) {
            return;
        }
        if (lineLength > lineLimit) {
            fail(DataOutcome.TOO_LONG);
        } else if ((sizeLimit > 0 && size > sizeLimit) || !content.fits(1)) {
            fail(DataOutcome.TOO_MUCH);
        }
    }

    private void fail(DataOutcome why) {
        outcome = why;
        content = null; // drop what we hold at once
    }
}
