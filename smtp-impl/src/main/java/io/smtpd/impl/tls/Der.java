package io.smtpd.impl.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The little ASN.1 DER this package needs to turn PKCS#1 and SEC1 private keys into PKCS#8 and to find algorithm
 * identifiers: writing and reading tag-length-value items, and object identifiers. Not a general DER library.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]} constructed, as SEC1 holds the curve. */
    static final int CONTEXT_0 = 0xa0;

    private Der() {
    }

    /** One item: {@code tag}, then the length, then the concatenated {@code parts}. */
    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.size() + 6);
        out.write(tag);
        writeLength(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    /** An OBJECT IDENTIFIER item for {@code dotted}, for example {@code 1.2.840.113549.1.1.1}. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        writeBase128(content, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            writeBase128(content, Long.parseLong(arcs[i]));
        }
        return tlv(OID, content.toByteArray());
    }

    /** The dotted form of an OBJECT IDENTIFIER's content octets. */
    static String oidString(byte[] content) {
        StringBuilder out = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (byte b : content) {
            value = (value << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                if (first) {
                    long top = Math.min(value / 40, 2);
                    out.append(top).append('.').append(value - top * 40);
                    first = false;
                } else {
                    out.append('.').append(value);
                }
                value = 0;
            }
        }
        return out.toString();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write(length >>> (8 * i));
        }
    }

    private static void writeBase128(ByteArrayOutputStream out, long value) {
        int groups = 1;
        for (long v = value >>> 7; v != 0; v >>>= 7) {
            groups++;
        }
        for (int i = groups - 1; i >= 0; i--) {
            int group = (int) ((value >>> (7 * i)) & 0x7f);
            out.write(i > 0 ? group | 0x80 : group);
        }
    }

    /** One parsed item: its tag and its content octets. */
    record Item(int tag, byte[] content) {
        /** A reader over the items inside this (constructed) item. */
        Reader children() {
            return new Reader(content);
        }
    }

    /** Reads consecutive items from bytes; every malformation is an {@link IllegalArgumentException}. */
    static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        boolean hasNext() {
            return pos < data.length;
        }

        Item next() {
            int tag = octet();
            if ((tag & 0x1f) == 0x1f) {
                throw new IllegalArgumentException("unsupported DER tag");
            }
            int first = octet();
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 4) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | octet();
                }
            }
            if (length < 0 || length > data.length - pos) {
                throw new IllegalArgumentException("truncated DER item");
            }
            byte[] content = Arrays.copyOfRange(data, pos, pos + length);
            pos += length;
            return new Item(tag, content);
        }

        /** The next item, which must have {@code tag}. */
        Item next(int tag, String what) {
            Item item = next();
            if (item.tag() != tag) {
                throw new IllegalArgumentException("malformed " + what);
            }
            return item;
        }

        private int octet() {
            if (pos >= data.length) {
                throw new IllegalArgumentException("truncated DER item");
            }
            return data[pos++] & 0xff;
        }
    }
}
