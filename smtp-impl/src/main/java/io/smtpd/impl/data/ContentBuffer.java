package io.smtpd.impl.data;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One message's content as it arrives: a small array grown by doubling up to {@value #CHUNK} bytes, then
 * fixed-size chunks, so a large message is copied once (into {@link #toByteArray()}) instead of at every doubling.
 */
public final class ContentBuffer {
    private static final int INITIAL = 1024;
    private static final int CHUNK = 64 * 1024;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private byte[] current = new byte[INITIAL];
    private int used;
    private List<byte[]> full;
    private long length;

    public long length() {
        return length;
    }

    public void append(byte b) {
        if (used == current.length) {
            grow();
        }
        current[used++] = b;
        length++;
    }

    /** Appends {@code count} bytes of {@code src} from its position, advancing it. */
    public void append(ByteBuffer src, int count) {
        int left = count;
        while (left > 0) {
            if (used == current.length) {
                grow();
            }
            int n = Math.min(left, current.length - used);
            src.get(current, used, n);
            used += n;
            left -= n;
        }
        length += count;
    }

    /** Whether {@code more} bytes still fit in a Java array. */
    public boolean fits(long more) {
        return length + more <= MAX_ARRAY;
    }

    /** The content, exactly {@link #length()} bytes long. */
    public byte[] toByteArray() {
        if (full == null) {
            return used == current.length ? current : Arrays.copyOf(current, used);
        }
        byte[] out = new byte[(int) length];
        int at = 0;
        for (byte[] chunk : full) {
            System.arraycopy(chunk, 0, out, at, chunk.length);
            at += chunk.length;
        }
        System.arraycopy(current, 0, out, at, used);
        return out;
    }

    private void grow() {
        if (current.length < CHUNK) {
            current = Arrays.copyOf(current, current.length * 2);
            return;
        }
        if (full == null) {
            full = new ArrayList<>();
        }
        full.add(current);
        current = new byte[CHUNK];
        used = 0;
    }
}
