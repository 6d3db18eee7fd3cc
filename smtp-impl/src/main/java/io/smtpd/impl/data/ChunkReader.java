package io.smtpd.impl.data;

import java.nio.ByteBuffer;

/**
 * Reads one BDAT chunk (RFC 3030): exactly its announced number of octets, raw (no dot-unstuffing, no line
 * limits), appended to the message or, when the chunk is refused or over the size limit, read and discarded so
 * that none of it is ever taken as commands.
 */
public final class ChunkReader {
    private final long size;
    private final ContentBuffer sink;
    private long remaining;

    /**
     * @param size octets in the chunk
     * @param sink where the octets go, or {@code null} to discard them
     */
    public ChunkReader(long size, ContentBuffer sink) {
        this.size = size;
        this.sink = sink;
        this.remaining = size;
    }

    /**
     * Consumes octets of {@code in} up to the end of the chunk.
     *
     * @return whether the chunk is complete
     */
    public boolean read(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        if (n > 0) {
            if (sink != null) {
                sink.append(in, n);
            } else {
                in.position(in.position() + n);
            }
            remaining -= n;
        }
        return remaining == 0;
    }

    /**
     * The chunk size a BDAT argument ({@code <size> [LAST]}) announces, or -1 when it is not one (more than 18
     * digits cannot be a size anyone sends).
     */
    public static long size(String argument) {
        if (argument == null) {
            return -1;
        }
        String[] words = argument.strip().split("\\s+");
        if (words.length > 2 || words.length == 2 && !words[1].equalsIgnoreCase("LAST")) {
            return -1;
        }
        String digits = words[0];
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            char ch = digits.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }

    /** Whether a BDAT argument ends with {@code LAST}. */
    public static boolean isLast(String argument) {
        String[] words = argument.strip().split("\\s+");
        return words.length == 2 && words[1].equalsIgnoreCase("LAST");
    }

    /** The announced size of the chunk. */
    public long size() {
        return size;
    }

    /** Whether the chunk's octets are being discarded. */
    public boolean discarding() {
        return sink == null;
    }
}
