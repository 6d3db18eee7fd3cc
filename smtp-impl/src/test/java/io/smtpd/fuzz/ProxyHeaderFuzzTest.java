package io.smtpd.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.smtpd.impl.proxy.ProxyHeader;
import io.smtpd.impl.proxy.ProxyHeaderParser;

/**
 * The PROXY protocol header parser (v1 and v2) on arbitrary bytes cut arbitrarily: it never throws, never holds more
 * than the longest header it accepts, never consumes a byte after the header (it belongs to SMTP or TLS), decides
 * the same however the bytes are cut, and what it accepts is what the bytes say (addresses as Java reads them).
 *
 * <p>Input: {@code mode, 4 chunk lengths, buffer kind}, then the stream. Mode bit 0: make a v2 length field match
 * the bytes present; bit 1: recompute a v2 CRC32C TLV; both let mutations reach past those checks.
 */
class ProxyHeaderFuzzTest {
    private static final byte[] V2_SIGNATURE =
            {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int MAX_HELD = Math.max(ProxyHeaderParser.V1_MAX_LENGTH,
            ProxyHeaderParser.V2_FIXED_LENGTH + ProxyHeaderParser.V2_MAX_PAYLOAD);

    @FuzzTest(maxDuration = "30s")
    void proxyHeader(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        int mode = input.u8();
        int[] sizes = input.bytes(4);
        int kind = input.u8();
        byte[] stream = input.rest();
        if ((mode & 1) != 0) {
            fixV2Length(stream);
        }
        if ((mode & 2) != 0) {
            fixV2Crc(stream);
        }

        ProxyHeaderParser whole = new ProxyHeaderParser();
        ByteBuffer all = ByteBuffer.wrap(stream);
        ProxyHeaderParser.Status wholeStatus = whole.feed(all);
        int wholeConsumed = all.position();
        assertTrue(whole.buffered() <= MAX_HELD, "held " + whole.buffered());

        ProxyHeaderParser parser = new ProxyHeaderParser();
        List<ByteBuffer> chunks = FuzzInput.chunks(stream, sizes, kind);
        int consumed = 0;
        ProxyHeaderParser.Status status = ProxyHeaderParser.Status.INCOMPLETE;
        for (ByteBuffer chunk : chunks) {
            int before = chunk.remaining();
            ProxyHeaderParser.Status now = parser.feed(chunk);
            consumed += before - chunk.remaining();
            assertTrue(parser.buffered() <= MAX_HELD, "held " + parser.buffered());
            if (status != ProxyHeaderParser.Status.INCOMPLETE) {
                assertEquals(status, now, "a decided parser changed its mind");
                assertEquals(before, chunk.remaining(), "a decided parser consumed more bytes");
            }
            status = now;
            if (now == ProxyHeaderParser.Status.INCOMPLETE) {
                assertFalse(chunk.hasRemaining(), "incomplete with bytes left unread");
            }
        }
        assertEquals(wholeStatus, status, "the decision depends on how the bytes were cut");
        assertEquals(whole.error(), parser.error(), "the error depends on how the bytes were cut");
        assertEquals(status, parser.status());
        if (status == ProxyHeaderParser.Status.INVALID) {
            assertNotNull(parser.error());
            assertTrue(consumed <= stream.length);
            return;
        }
        if (status == ProxyHeaderParser.Status.INCOMPLETE) {
            assertEquals(stream.length, consumed);
            assertTrue(stream.length < MAX_HELD + 1, "undecided after " + stream.length + " bytes");
            return;
        }
        assertEquals(wholeConsumed, consumed, "header length depends on how the bytes were cut");
        ProxyHeader header = parser.header();
        assertNotNull(header);
        assertEquals(whole.header().toString(), header.toString());
        assertTlvsEqual(whole.header().tlvs(), header.tlvs());

        byte[] bytes = Arrays.copyOf(stream, consumed);
        if (header.version() == 1) {
            checkV1(bytes, header);
        } else {
            checkV2(bytes, header);
        }
        // the one-shot parse agrees, and refuses trailing bytes
        assertEquals(header.toString(), ProxyHeaderParser.parse(bytes).toString());
        if (consumed < stream.length) {
            byte[] withMore = Arrays.copyOf(stream, consumed + 1);
            assertThrows(IllegalArgumentException.class, () -> ProxyHeaderParser.parse(withMore));
        }
    }

    private static void checkV1(byte[] bytes, ProxyHeader header) {
        assertTrue(bytes.length <= ProxyHeaderParser.V1_MAX_LENGTH, "v1 header too long accepted");
        String line = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(line.startsWith("PROXY ") && line.endsWith("\r\n"), "v1 header framing");
        assertEquals(line.indexOf('\n'), line.length() - 1, "v1 header ends at its first LF");
        String[] f = line.substring(0, line.length() - 2).split(" ", -1);
        if ("UNKNOWN".equals(f[1])) {
            assertEquals(null, header.source());
            return;
        }
        assertEquals(6, f.length, "v1 fields");
        assertTrue(f[1].equals("TCP4") || f[1].equals("TCP6"));
        assertAddress(f[2], f[4], header.source(), f[1]);
        assertAddress(f[3], f[5], header.destination(), f[1]);
    }

    /** Java's own reading of an address literal must give the same address and port. */
    private static void assertAddress(String ip, String port, InetSocketAddress parsed, String family) {
        assertNotNull(parsed);
        assertEquals(Integer.parseInt(port), parsed.getPort());
        assertEquals(port, Integer.toString(parsed.getPort()), "port with leading zeros or sign accepted");
        if (family.equals("TCP4")) {
            assertEquals(ip, parsed.getAddress().getHostAddress(), "IPv4 text accepted in a non-canonical form");
            return;
        }
        assertTrue(ip.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0),
                "IPv6 text with other characters accepted: " + ip);
        assertTrue(ip.contains(":"), "IPv6 text without a colon accepted: " + ip);
        InetAddress java;
        try {
            java = InetAddress.getByName(ip); // a literal with a colon: never a name lookup
        } catch (UnknownHostException e) {
            fail("accepted an IPv6 text Java refuses: " + ip);
            return;
        }
        assertArrayEquals(java.getAddress(), parsed.getAddress().getAddress(), "IPv6 " + ip);
    }

    private static void checkV2(byte[] bytes, ProxyHeader header) {
        assertTrue(bytes.length >= ProxyHeaderParser.V2_FIXED_LENGTH);
        assertArrayEquals(V2_SIGNATURE, Arrays.copyOf(bytes, 12), "v2 signature");
        int payload = ((bytes[14] & 0xff) << 8) | (bytes[15] & 0xff);
        assertEquals(ProxyHeaderParser.V2_FIXED_LENGTH + payload, bytes.length, "v2 length field");
        assertTrue(payload <= ProxyHeaderParser.V2_MAX_PAYLOAD);
        int command = bytes[12] & 0x0f;
        int family = (bytes[13] & 0xff) >>> 4;
        int protocol = bytes[13] & 0x0f;
        if (command == 1 && protocol != 0 && (family == 1 || family == 2)) {
            int size = family == 1 ? 4 : 16;
            assertNotNull(header.source());
            assertArrayEquals(javaAddress(Arrays.copyOfRange(bytes, 16, 16 + size)),
                    header.source().getAddress().getAddress(), "v2 source address");
            assertArrayEquals(javaAddress(Arrays.copyOfRange(bytes, 16 + size, 16 + 2 * size)),
                    header.destination().getAddress().getAddress(), "v2 destination address");
            int ports = 16 + 2 * size;
            assertEquals(((bytes[ports] & 0xff) << 8) | (bytes[ports + 1] & 0xff), header.source().getPort());
            assertEquals(((bytes[ports + 2] & 0xff) << 8) | (bytes[ports + 3] & 0xff), header.destination().getPort());
        } else {
            assertEquals(null, header.source(), "addresses kept where the connection's own must be used");
        }
    }

    /** The address bytes as Java keeps them (an IPv4-mapped IPv6 address becomes IPv4). */
    private static byte[] javaAddress(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw).getAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertTlvsEqual(Map<Integer, byte[]> a, Map<Integer, byte[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (Integer type : a.keySet()) {
            assertArrayEquals(a.get(type), b.get(type), "TLV " + type);
        }
    }

    private static boolean isV2(byte[] s) {
        return s.length >= 16 && Arrays.equals(V2_SIGNATURE, Arrays.copyOf(s, 12));
    }

    private static void fixV2Length(byte[] s) {
        if (isV2(s)) {
            int payload = Math.min(s.length - 16, ProxyHeaderParser.V2_MAX_PAYLOAD);
            s[14] = (byte) (payload >>> 8);
            s[15] = (byte) payload;
        }
    }

    /** Recomputes the first CRC32C TLV (type 0x03, 4 bytes) after the address block, if there is one. */
    private static void fixV2Crc(byte[] s) {
        if (!isV2(s)) {
            return;
        }
        int end = 16 + (((s[14] & 0xff) << 8) | (s[15] & 0xff));
        if (end > s.length) {
            return;
        }
        int family = (s[13] & 0xff) >>> 4;
        int at = 16 + (family == 1 ? 12 : family == 2 ? 36 : family == 3 ? 216 : 0);
        while (at + 3 <= end) {
            int type = s[at] & 0xff;
            int size = ((s[at + 1] & 0xff) << 8) | (s[at + 2] & 0xff);
            if (type == 0x03 && size == 4 && at + 7 <= end) {
                Arrays.fill(s, at + 3, at + 7, (byte) 0);
                CRC32C crc = new CRC32C();
                crc.update(s, 0, end);
                long v = crc.getValue();
                s[at + 3] = (byte) (v >>> 24);
                s[at + 4] = (byte) (v >>> 16);
                s[at + 5] = (byte) (v >>> 8);
                s[at + 6] = (byte) v;
                return;
            }
            at += 3 + size;
        }
    }
}
