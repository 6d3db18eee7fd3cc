package io.smtpd.impl.protocol;

import java.nio.ByteBuffer;

import io.smtpd.impl.data.ChunkReader;
import io.smtpd.impl.data.DotReader;
import io.smtpd.impl.data.LineReader;

/**
 * Turns raw input into what the conversation consumes, one item at a time, in the mode the conversation is in:
 * command lines ({@code byte[]}, or {@link LineReader#OVERLONG}), or, during DATA, the whole message as a
 * {@link DotReader} once its terminator arrived. One item at a time matters: a command can change the mode for
 * the very next byte (DATA, STARTTLS).
 */
public final class InputFramer {
    private final LineReader lines;
    private final IdleTimer timer;
    private DotReader data;
    /** During a BDAT chunk: its octets, read raw. */
    private ChunkReader chunk;
    /** Between STARTTLS and the end of its handshake: everything that arrives is dropped. */
    private boolean discarding;

    InputFramer(int hardLineLimit, IdleTimer timer) {
        this.lines = new LineReader(hardLineLimit);
        this.timer = timer;
    }

    /**
     * Consumes bytes of {@code in} up to the end of the next item.
     *
     * @return the item, or {@code null} when {@code in} ran out first (then it is empty)
     */
    public Object next(ByteBuffer in) {
        if (discarding) {
            in.position(in.limit());
            return null;
        }
        if (chunk != null) {
            boolean done = chunk.read(in);
            timer.touch();
            if (done) {
                ChunkReader finished = chunk;
                chunk = null;
                return finished;
            }
            return null;
        }
        if (data != null) {
            boolean done = data.read(in);
            if (data.takeLineEnd()) {
                timer.touch();
            }
            if (done) {
                DotReader finished = data;
                data = null;
                return finished;
            }
            return null;
        }
        byte[] line = lines.read(in);
        if (line != null) {
            timer.touch();
        }
        return line;
    }

    void expectData(DotReader reader) {
        this.data = reader;
    }

    void expectChunk(ChunkReader reader) {
        this.chunk = reader;
    }

    boolean inData() {
        return data != null || chunk != null;
    }

    /**
     * Drops the partial line and all input until {@link #endDiscard()}: after STARTTLS, bytes the client pipelined in
     * clear (CVE-2011-0411) and anything before the handshake completed.
     */
    void discard() {
        discarding = true;
        lines.clear();
    }

    void endDiscard() {
        discarding = false;
    }
}
