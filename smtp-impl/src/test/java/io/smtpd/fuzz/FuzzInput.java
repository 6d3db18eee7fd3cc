package io.smtpd.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a fuzz input as a small binary header (settings for the target: limits, policy, how to cut the payload) and
 * a payload. Bytes missing from the header read as 0, so every input, even the empty one, is valid; a seed is the
 * header followed by readable protocol text (see {@link SeedCorpus}).
 */
final class FuzzInput {
    private final byte[] data;
    private int pos;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    int u8() {
        return pos < data.length ? data[pos++] & 0xff : 0;
    }

    int u16() {
        return (u8() << 8) | u8();
    }

    /** {@code n} header bytes (fewer at the end of the input, then zeros). */
    int[] bytes(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = u8();
        }
        return out;
    }

    /** The rest of the input. */
    byte[] rest() {
        byte[] out = pos < data.length ? Arrays.copyOfRange(data, pos, data.length) : new byte[0];
        pos = data.length;
        return out;
    }

    /**
     * Cuts {@code payload} into buffers the way a socket might deliver it: chunk lengths taken in turn from
     * {@code sizes} (0 means "all the rest"), each chunk in a heap buffer at a non-zero position, a slice with an array
     * offset, or a direct buffer, as {@code kind} says.
     */
    static List<ByteBuffer> chunks(byte[] payload, int[] sizes, int kind) {
        List<ByteBuffer> out = new ArrayList<>();
        int at = 0;
        int i = 0;
        while (at < payload.length) {
            int size = sizes.length == 0 ? 0 : sizes[i++ % sizes.length];
            int n = size == 0 ? payload.length - at : Math.min(size, payload.length - at);
            out.add(buffer(payload, at, n, (kind + out.size()) % 3));
            at += n;
        }
        return out;
    }

    private static ByteBuffer buffer(byte[] payload, int from, int n, int kind) {
        switch (kind) {
            case 0: {
                byte[] padded = new byte[n + 7];
                Arrays.fill(padded, (byte) '.'); // bytes around the window must never be read
                System.arraycopy(payload, from, padded, 3, n);
                return ByteBuffer.wrap(padded, 3, n);
            }
            case 1: {
                byte[] padded = new byte[n + 5];
                Arrays.fill(padded, (byte) '\n');
                System.arraycopy(payload, from, padded, 5, n);
                ByteBuffer slice = ByteBuffer.wrap(padded, 5, n).slice();
                return slice;
            }
            default: {
                ByteBuffer direct = ByteBuffer.allocateDirect(n);
                direct.put(payload, from, n).flip();
                return direct;
            }
        }
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
