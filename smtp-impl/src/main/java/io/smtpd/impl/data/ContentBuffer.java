package io.smtpd.impl.data;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A growable byte array for one message's content, grown by doubling from a small start. */
public final class ContentBuffer {
    private static final int INITIAL = 4096;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private byte[] bytes = new byte[INITIAL];
    private int length;

    public int length() {
        return length;
    }

    public void append(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    /** Appends {@code count} bytes of {@code src} from its position, advancing it. */
    public void append(ByteBuffer src, int count) {
        ensure(count);
        src.get(bytes, length, count);
        length += count;
    }

    public void append(byte[] src, int offset, int count) {
        ensure(count);
        System.arraycopy(src, offset, bytes, length, count);
        length += count;
    }

    /** Whether {@code more} bytes still fit in a Java array. */
    public boolean fits(long more) {
        return length + more <= MAX_ARRAY;
    }

    /** A copy of the content, exactly {@link #length()} bytes long. */
    public byte[] toByteArray() {
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }

    private void ensure(int more) {
        int needed = length + more;
        if (needed > bytes.length) {
            int capacity = bytes.length;
            while (capacity < needed) {
                capacity = capacity > MAX_ARRAY / 2 ? MAX_ARRAY : capacity * 2;
            }
            bytes = Arrays.copyOf(bytes, capacity);
        }
    }
}
