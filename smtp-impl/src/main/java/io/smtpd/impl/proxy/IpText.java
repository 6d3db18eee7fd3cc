package io.smtpd.impl.proxy;

/**
 * Strict parsing of textual IP addresses as the PROXY protocol v1 carries them, without name resolution: IPv4 as four
 * decimal octets without leading zeros, IPv6 as RFC 4291 2.2 writes it (full, with one {@code ::}, or with a dotted
 * IPv4 tail), no zone, no brackets.
 */
final class IpText {
    private IpText() {
    }

    /** The 4 bytes of {@code text}, or {@code null} when it is not a dotted-quad IPv4 address. */
    static byte[] ipv4(String text) {
        return ipv4(text, 0, text.length());
    }

    private static byte[] ipv4(String text, int from, int to) {
        byte[] out = new byte[4];
        int part = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 4 && isDigit(text.charAt(i))) {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return null;
            }
            out[part++] = (byte) value;
            if (part == 4) {
                return i == to ? out : null;
            }
            if (i >= to || text.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }

    /** The 16 bytes of {@code text}, or {@code null} when it is not an IPv6 address. */
    static byte[] ipv6(String text) {
        int length = text.length();
        if (length < 2 || length > 45) {
            return null;
        }
        int[] groups = new int[8];
        int count = 0;
        int gap = -1; // index in groups where "::" stands
        int i = 0;
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == length) {
                return new byte[16];
            }
        } else if (text.charAt(0) == ':') {
            return null;
        }
        byte[] tail = null;
        while (i < length) {
            if (count == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < length && i - start < 5 && hex(text.charAt(i)) >= 0) {
                value = value * 16 + hex(text.charAt(i));
                i++;
            }
            int digits = i - start;
            if (i < length && text.charAt(i) == '.') {
                // an IPv4 tail takes the place of the last two groups
                if (count > 6) {
                    return null;
                }
                tail = ipv4(text, start, length);
                if (tail == null) {
                    return null;
                }
                i = length;
                break;
            }
            if (digits == 0 || digits > 4) {
                return null;
            }
            groups[count++] = value;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < length && text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null; // "::" twice
                }
                gap = count;
                i++;
                if (i == length) {
                    break;
                }
            } else if (i == length) {
                return null; // a single trailing ':'
            }
        }
        int total = count + (tail != null ? 2 : 0);
        if (gap < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] out = new byte[16];
        int zeros = 8 - total;
        int g = 0;
        for (int k = 0; k < count; k++) {
            if (k == gap) {
                g += zeros;
            }
            out[2 * g] = (byte) (groups[k] >>> 8);
            out[2 * g + 1] = (byte) groups[k];
            g++;
        }
        if (tail != null) {
            System.arraycopy(tail, 0, out, 12, 4);
        }
        return out;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
