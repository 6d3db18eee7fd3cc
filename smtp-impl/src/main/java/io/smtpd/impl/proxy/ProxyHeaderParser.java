package io.smtpd.impl.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

import io.smtpd.api.proxy.ProxyData;

/**
 * Reads a HAProxy PROXY protocol header (version 1 text or version 2 binary, HAProxy's {@code proxy-protocol.txt})
 * from bytes as they arrive, strictly, holding at most the header itself in memory. Independent of any transport.
 *
 * <p>Feed bytes with {@link #feed}: it consumes only the header's bytes, so what follows it (the client's first
 * SMTP command, or its TLS hello) stays in the buffer. It answers {@link Status#INVALID} as soon as the bytes can no
 * longer be a valid header: a first byte that starts neither form, a wrong signature byte, a v1 line longer than
 * {@value #V1_MAX_LENGTH} bytes, a v2 length over {@value #V2_MAX_PAYLOAD}.
 *
 * <p>Version 1: {@code PROXY TCP4|TCP6 <src> <dst> <srcport> <dstport>\r\n} with single spaces, addresses of the
 * named family in their plain textual form (no leading zeros in IPv4, no zone in IPv6), ports 0 to 65535 without
 * leading zeros; or {@code PROXY UNKNOWN} and anything up to CRLF, which the receiver ignores.
 *
 * <p>Version 2: the 12-byte signature, version 2, command LOCAL or PROXY, family UNSPEC, INET, INET6 or UNIX,
 * protocol UNSPEC, STREAM or DGRAM, then the payload.
 * <ul>
 *   <li>PROXY over INET or INET6 (STREAM or DGRAM): the addresses, then TLVs; both must be well formed.</li>
 *   <li>PROXY over UNIX: the 216 address bytes are skipped and the header is treated as UNSPEC (the session keeps the
 *       socket's peer address: a path means nothing to an SMTP handler); the TLVs must be well formed.</li>
 *   <li>LOCAL, or an UNSPEC family or protocol: the specification says to use the connection's own endpoints and
 *       ignore the address block, so the payload is skipped; TLVs after a known address block are kept when they
 *       are well formed and ignored when they are not.</li>
 * </ul>
 * TLVs: the value lengths must add up exactly; {@code CRC32C} must be 4 bytes and match the header (RFC 4960
 * appendix B, over the whole header with the checksum zeroed); {@code UNIQUE_ID} at most 128 bytes; {@code SSL} at
 * least 5 bytes, with well-formed sub-TLVs; a known type other than {@code NOOP} at most once. Unknown types are kept.
 */
public final class ProxyHeaderParser {
    /** The longest v1 header, CRLF included (the specification's 107). */
    public static final int V1_MAX_LENGTH = 107;
    /** The fixed part of a v2 header: signature, version and command, family and protocol, length. */
    public static final int V2_FIXED_LENGTH = 16;
    /** The longest v2 payload (addresses and TLVs) accepted; the format allows 65535. */
    public static final int V2_MAX_PAYLOAD = 2048;

    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final int UNIQUE_ID_MAX = 128;

    /** Where reading stands. */
    public enum Status {
        /** More bytes are needed. */
        INCOMPLETE,
        /** A valid header was read: {@link #header()}. */
        COMPLETE,
        /** Not a valid header: {@link #error()}. */
        INVALID
    }

    private byte[] bytes = new byte[V1_MAX_LENGTH];
    private int length;
    /** 1 or 2 once the first byte told, else 0. */
    private int version;
    /** Total header length once known (v2), else -1. */
    private int expected = -1;
    private Status status = Status.INCOMPLETE;
    private String error;
    private ProxyHeader header;

    /**
     * Parses {@code whole}, which must be exactly one header.
     *
     * @throws IllegalArgumentException with the reason when it is not
     */
    public static ProxyHeader parse(byte[] whole) {
        ProxyHeaderParser parser = new ProxyHeaderParser();
        ByteBuffer in = ByteBuffer.wrap(whole);
        Status status = parser.feed(in);
        if (status == Status.INVALID) {
            throw new IllegalArgumentException(parser.error());
        }
        if (status == Status.INCOMPLETE) {
            throw new IllegalArgumentException("PROXY header incomplete");
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("bytes after the PROXY header");
        }
        return parser.header();
    }

    /**
     * Consumes header bytes from {@code in}, and no byte after the header.
     *
     * @return {@link Status#INCOMPLETE} when {@code in} ran out before the header ended (it is then empty)
     */
    public Status feed(ByteBuffer in) {
        if (status == Status.INCOMPLETE && version == 0 && in.hasRemaining()) {
            byte first = in.get(in.position());
            if (first == V1_PREFIX[0]) {
                version = 1;
            } else if (first == V2_SIGNATURE[0]) {
                version = 2;
            } else {
                fail("PROXY unrecognized signature");
            }
        }
        if (status == Status.INCOMPLETE && in.hasRemaining()) {
            if (version == 1) {
                readV1(in);
            } else {
                readV2(in);
            }
        }
        return status;
    }

    public Status status() {
        return status;
    }

    /** Why the header is invalid; {@code null} unless {@link Status#INVALID}. */
    public String error() {
        return error;
    }

    /** The header; {@code null} unless {@link Status#COMPLETE}. */
    public ProxyHeader header() {
        return header;
    }

    /** Header bytes held so far (never more than the longest header allowed). */
    public int buffered() {
        return length;
    }

    // ---- version 1 -----------------------------------------------------------------------------------------------

    private void readV1(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (length < V1_PREFIX.length && b != V1_PREFIX[length]) {
                fail("PROXYv1 malformed");
                return;
            }
            bytes[length++] = b;
            if (b == '\n') {
                if (length < 2 || bytes[length - 2] != '\r') {
                    fail("PROXYv1 malformed: LF without CR");
                    return;
                }
                parseV1(new String(bytes, 0, length - 2, StandardCharsets.ISO_8859_1));
                return;
            }
            if (length == V1_MAX_LENGTH) {
                fail("PROXYv1 too long");
                return;
            }
        }
    }

    private void parseV1(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                fail("PROXYv1 malformed: control or non-ASCII character");
                return;
            }
        }
        String rest = line.substring(V1_PREFIX.length);
        if (rest.equals("UNKNOWN") || rest.startsWith("UNKNOWN ")) {
            complete(new ProxyHeader(1, "PROXY", "UNKNOWN", null, null, Map.of()));
            return;
        }
        String[] fields = rest.split(" ", -1);
        if (fields.length != 5 || !(fields[0].equals("TCP4") || fields[0].equals("TCP6"))) {
            fail("PROXYv1 malformed");
            return;
        }
        boolean v4 = fields[0].equals("TCP4");
        byte[] src = v4 ? IpText.ipv4(fields[1]) : IpText.ipv6(fields[1]);
        byte[] dst = v4 ? IpText.ipv4(fields[2]) : IpText.ipv6(fields[2]);
        if (src == null || dst == null) {
            fail(v4 ? "PROXYv1 address not IPv4" : "PROXYv1 address not IPv6");
            return;
        }
        int srcPort = port(fields[3]);
        int dstPort = port(fields[4]);
        if (srcPort < 0 || dstPort < 0) {
            fail("PROXYv1 port malformed");
            return;
        }
        complete(new ProxyHeader(1, "PROXY", fields[0], address(src, srcPort), address(dst, dstPort), Map.of()));
    }

    /** A decimal port from 0 to 65535 without leading zeros, or -1. */
    private static int port(String text) {
        int n = text.length();
        if (n == 0 || n > 5 || (n > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > 65535 ? -1 : value;
    }

    // ---- version 2 -----------------------------------------------------------------------------------------------

    private void readV2(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (length < V2_FIXED_LENGTH) {
                byte b = in.get();
                if (length < V2_SIGNATURE.length && b != V2_SIGNATURE[length]) {
                    fail("PROXYv2 wrong signature");
                    return;
                }
                bytes[length++] = b;
                if (length == V2_FIXED_LENGTH && !checkFixedPart()) {
                    return;
                }
            } else {
                int count = Math.min(in.remaining(), expected - length);
                in.get(bytes, length, count);
                length += count;
            }
            if (length == expected) {
                parseV2();
                return;
            }
        }
    }

    /** Checks version, command, family and protocol, and sizes the buffer for the whole header. */
    private boolean checkFixedPart() {
        int versionCommand = bytes[12] & 0xff;
        if (versionCommand >>> 4 != 2) {
            fail("PROXYv2 illegal version");
            return false;
        }
        if ((versionCommand & 0x0f) > 1) {
            fail("PROXYv2 unsupported command");
            return false;
        }
        int familyProtocol = bytes[13] & 0xff;
        if (familyProtocol >>> 4 > 3) {
            fail("PROXYv2 unsupported family");
            return false;
        }
        if ((familyProtocol & 0x0f) > 2) {
            fail("PROXYv2 unsupported protocol");
            return false;
        }
        int payload = ((bytes[14] & 0xff) << 8) | (bytes[15] & 0xff);
        if (payload > V2_MAX_PAYLOAD) {
            fail("PROXYv2 header too long");
            return false;
        }
        expected = V2_FIXED_LENGTH + payload;
        bytes = Arrays.copyOf(bytes, Math.max(expected, bytes.length));
        return true;
    }

    private void parseV2() {
        boolean proxy = (bytes[12] & 0x0f) == 1;
        int family = (bytes[13] & 0xff) >>> 4;
        int protocol = bytes[13] & 0x0f;
        int payload = expected - V2_FIXED_LENGTH;
        int addressLength = addressLength();
        String familyName = family == 1 ? "INET" : family == 2 ? "INET6" : family == 3 ? "UNIX" : "UNSPEC";
        String command = proxy ? "PROXY" : "LOCAL";
        if (!proxy || family == 0 || protocol == 0) {
            // the connection's own endpoints count; the payload is skipped, its TLVs kept only if well formed
            Map<Integer, byte[]> tlvs = new LinkedHashMap<>();
            if (addressLength < 0 || payload < addressLength
                    || readTlvs(V2_FIXED_LENGTH + addressLength, expected, tlvs, false) != null) {
                tlvs.clear();
            }
            if (!verifyCrc(tlvs)) {
                return;
            }
            complete(new ProxyHeader(2, command, protocol == 0 ? "UNSPEC" : familyName, null, null, tlvs));
            return;
        }
        if (payload < addressLength) {
            fail("PROXYv2 truncated address");
            return;
        }
        InetSocketAddress source = null;
        InetSocketAddress destination = null;
        int at = V2_FIXED_LENGTH;
        if (family == 1 || family == 2) {
            int size = family == 1 ? 4 : 16;
            byte[] src = Arrays.copyOfRange(bytes, at, at + size);
            byte[] dst = Arrays.copyOfRange(bytes, at + size, at + 2 * size);
            int ports = at + 2 * size;
            source = address(src, ((bytes[ports] & 0xff) << 8) | (bytes[ports + 1] & 0xff));
            destination = address(dst, ((bytes[ports + 2] & 0xff) << 8) | (bytes[ports + 3] & 0xff));
        }
        Map<Integer, byte[]> tlvs = new LinkedHashMap<>();
        String problem = readTlvs(at + addressLength, expected, tlvs, false);
        if (problem != null) {
            fail(problem);
            return;
        }
        if (!verifyCrc(tlvs)) {
            return;
        }
        complete(new ProxyHeader(2, command, familyName, source, destination, tlvs));
    }

    /** The size of the v2 address block: 0 for UNSPEC, 12, 36 or 216; -1 when unknown (an UNSPEC protocol). */
    private int addressLength() {
        int family = (bytes[13] & 0xff) >>> 4;
        int protocol = bytes[13] & 0x0f;
        if (family == 0) {
            return 0;
        }
        if (protocol == 0) {
            return -1;
        }
        return family == 1 ? 12 : family == 2 ? 36 : 216;
    }

    /**
     * Reads the TLVs in {@code [from, to)} into {@code out}.
     *
     * @return {@code null}, or what is wrong with them
     */
    private String readTlvs(int from, int to, Map<Integer, byte[]> out, boolean ssl) {
        int at = from;
        while (at < to) {
            if (to - at < 3) {
                return "PROXYv2 malformed TLV";
            }
            int type = bytes[at] & 0xff;
            int size = ((bytes[at + 1] & 0xff) << 8) | (bytes[at + 2] & 0xff);
            int value = at + 3;
            if (size > to - value) {
                return "PROXYv2 malformed TLV";
            }
            if (ssl) {
                // SSL sub-TLVs join the top-level map under their own types (0x21 to 0x25); others are skipped
                if (type >= ProxyData.PP2_SUBTYPE_SSL_VERSION && type <= ProxyData.PP2_SUBTYPE_SSL_KEY_ALG) {
                    if (out.containsKey(type)) {
                        return String.format("PROXYv2 duplicate SSL sub-TLV 0x%02x", type);
                    }
                    out.put(type, Arrays.copyOfRange(bytes, value, value + size));
                }
                at = value + size;
                continue;
            }
            if (out.containsKey(type)) {
                if (type == ProxyData.PP2_TYPE_NOOP || !isKnown(type)) {
                    at = value + size;
                    continue;
                }
                return String.format("PROXYv2 duplicate TLV 0x%02x", type);
            }
            switch (type) {
                case ProxyData.PP2_TYPE_CRC32C:
                    if (size != 4) {
                        return "PROXYv2 malformed CRC32C TLV";
                    }
                    break;
                case ProxyData.PP2_TYPE_UNIQUE_ID:
                    if (size > UNIQUE_ID_MAX) {
                        return "PROXYv2 UNIQUE_ID TLV too long";
                    }
                    break;
                case ProxyData.PP2_TYPE_SSL:
                    if (size < 5) {
                        return "PROXYv2 malformed SSL TLV";
                    }
                    String inner = readTlvs(value + 5, value + size, out, true);
                    if (inner != null) {
                        return inner;
                    }
                    break;
                default:
                    break;
            }
            out.put(type, Arrays.copyOfRange(bytes, value, value + size));
            at = value + size;
        }
        return null;
    }

    private static boolean isKnown(int type) {
        switch (type) {
            case ProxyData.PP2_TYPE_ALPN:
            case ProxyData.PP2_TYPE_AUTHORITY:
            case ProxyData.PP2_TYPE_CRC32C:
            case ProxyData.PP2_TYPE_NOOP:
            case ProxyData.PP2_TYPE_UNIQUE_ID:
            case ProxyData.PP2_TYPE_SSL:
            case ProxyData.PP2_TYPE_NETNS:
                return true;
            default:
                return false;
        }
    }

    /** Verifies a CRC32C TLV against the header; fails the parser and answers false on a mismatch. */
    private boolean verifyCrc(Map<Integer, byte[]> tlvs) {
        byte[] expectedCrc = tlvs.get(ProxyData.PP2_TYPE_CRC32C);
        if (expectedCrc == null) {
            return true;
        }
        int at = crcOffset();
        if (at < 0) {
            return fail("PROXYv2 CRC32C TLV not found");
        }
        byte[] copy = Arrays.copyOf(bytes, expected);
        Arrays.fill(copy, at, at + 4, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(copy, 0, copy.length);
        long value = crc.getValue();
        long given = ((expectedCrc[0] & 0xffL) << 24) | ((expectedCrc[1] & 0xffL) << 16)
                | ((expectedCrc[2] & 0xffL) << 8) | (expectedCrc[3] & 0xffL);
        if (value != given) {
            return fail("PROXYv2 CRC32C mismatch");
        }
        return true;
    }

    /** The offset of the CRC32C TLV's value: the first top-level TLV of that type after the address block. */
    private int crcOffset() {
        int at = V2_FIXED_LENGTH + addressLength();
        while (at + 3 <= expected) {
            int type = bytes[at] & 0xff;
            int size = ((bytes[at + 1] & 0xff) << 8) | (bytes[at + 2] & 0xff);
            if (type == ProxyData.PP2_TYPE_CRC32C && size == 4 && at + 7 <= expected) {
                return at + 3;
            }
            at += 3 + size;
        }
        return -1;
    }

    // ---- common --------------------------------------------------------------------------------------------------

    private static InetSocketAddress address(byte[] ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("impossible: " + ip.length + " address bytes", e);
        }
    }

    private void complete(ProxyHeader result) {
        header = result;
        status = Status.COMPLETE;
        bytes = null; // the header is all read: hold nothing more
    }

    private boolean fail(String why) {
        error = why;
        status = Status.INVALID;
        bytes = null;
        return false;
    }
}
