package io.smtpd.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smtpd.api.proxy.ProxyData;
import io.smtpd.impl.proxy.ProxyHeader;
import io.smtpd.impl.proxy.ProxyHeaderParser;
import io.smtpd.impl.proxy.ProxyHeaderParser.Status;

/** The PROXY header parser on its own: every v1 and v2 form, and the malformed ones. */
class ProxyHeaderParserTest {
    /** aiosmtpd's test vector: PROXY TCP4 127.0.0.1:45138 -> 127.0.0.1:25253, CRC32C, AUTHORITY, UNIQUE_ID, SSL. */
    private static final byte[] AIOSMTPD_V2 = Base64.getMimeDecoder().decode(
            "DQoNCgANClFVSVQKIREAcn8AAAF/AAABsFJipQMABFT9xv8CAAlBVVRIT1JJVFkFAAlVTklRVUVf"
            + "SUQgAEQBAAAAACEAB1RMU3YxLjIlAAdSU0E0MDk2JAAKUlNBLVNIQTI1NiMAG0VDREhFLVJTQS1B"
            + "RVMyNTYtR0NNLVNIQTM4NA==");

    // ---- version 1 -----------------------------------------------------------------------------------------------

    @Test
    void v1Tcp4() throws Exception {
        ProxyHeader h = parse("PROXY TCP4 1.2.3.4 5.6.7.8 0 65535\r\n");
        assertEquals(1, h.version());
        assertEquals("PROXY", h.command());
        assertEquals("TCP4", h.family());
        assertEquals(new InetSocketAddress(InetAddress.getByName("1.2.3.4"), 0), h.source());
        assertEquals(new InetSocketAddress(InetAddress.getByName("5.6.7.8"), 65535), h.destination());
        assertTrue(h.tlvs().isEmpty());
    }

    @Test
    void v1Tcp4Extremes() throws Exception {
        ProxyHeader h = parse("PROXY TCP4 255.255.255.255 0.0.0.0 65535 1\r\n");
        assertEquals("255.255.255.255", h.source().getAddress().getHostAddress());
        assertEquals(65535, h.source().getPort());
        assertEquals("0.0.0.0", h.destination().getAddress().getHostAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2020:dead::0001", "::1", "::", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8", "fe80::1:2", "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "ABCD:ef01::9"})
    void v1Tcp6Forms(String address) throws Exception {
        ProxyHeader h = parse("PROXY TCP6 " + address + " 2021:cafe::0002 8000 25\r\n");
        assertEquals("TCP6", h.family());
        assertEquals(InetAddress.getByName(address), h.source().getAddress());
        assertEquals(8000, h.source().getPort());
        assertEquals(InetAddress.getByName("2021:cafe::2"), h.destination().getAddress());
        assertEquals(25, h.destination().getPort());
    }

    @Test
    void v1Tcp6Random() throws Exception {
        Random random = new Random(42);
        for (int n = 0; n < 200; n++) {
            StringBuilder src = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                src.append(i == 0 ? "" : ":").append(Integer.toHexString(random.nextInt(65536)));
            }
            int port = random.nextInt(65536);
            ProxyHeader h = parse("PROXY TCP6 " + src + " ::1 " + port + " 25\r\n");
            assertEquals(InetAddress.getByName(src.toString()), h.source().getAddress(), src.toString());
            assertEquals(port, h.source().getPort());
        }
    }

    @Test
    void v1Unknown() {
        ProxyHeader h = parse("PROXY UNKNOWN\r\n");
        assertEquals("UNKNOWN", h.family());
        assertNull(h.source());
        assertNull(h.destination());
        ProxyHeader withRest = parse("PROXY UNKNOWN whatever the proxy says 1.2.3.4\r\n");
        assertEquals("UNKNOWN", withRest.family());
        assertNull(withRest.source());
    }

    @Test
    void v1LongestLineIsAccepted() {
        String line = "PROXY UNKNOWN " + "x".repeat(ProxyHeaderParser.V1_MAX_LENGTH - 16) + "\r\n";
        assertEquals(ProxyHeaderParser.V1_MAX_LENGTH, line.length());
        assertEquals("UNKNOWN", parse(line).family());
        String longest6 = "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
                + "65535 65535\r\n";
        assertEquals(65535, parse(longest6).source().getPort());
    }

    @Test
    void v1TooLongIsRefusedWithoutReadingMore() {
        ProxyHeaderParser parser = new ProxyHeaderParser();
        byte[] line = ("PROXY UNKNOWN " + "*".repeat(200) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.wrap(line);
        assertEquals(Status.INVALID, parser.feed(in));
        assertEquals(ProxyHeaderParser.V1_MAX_LENGTH, in.position(), "reads no byte past the limit");
        assertEquals("PROXYv1 too long", parser.error());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY UNKNOWN\n",                                       // LF without CR
        "PROXY UNKNOWN\r\r\n",                                   // a CR inside the line
        "PROXY\r\n",                                             // no protocol
        "PROXY \r\n",
        "PROXYTCP4 1.2.3.4 5.6.7.8 1 2\r\n",                     // no space
        "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n",                    // lower case
        "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",                    // unknown protocol
        "PROXY UNKNOWNX\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",                      // a field missing
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n",                  // a field too many
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n",                   // trailing space
        "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n",                   // double space
        "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1\t2\r\n",                   // a tab
        "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n",                // ports out of range
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 02501 2\r\n",                // leading zero
        "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1a 2\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 123456 2\r\n",
        "PROXY TCP4 1.2.3.a 5.6.7.8 1 2\r\n",                    // bad IPv4
        "PROXY TCP4 256.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n",
        "PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n",
        "PROXY TCP4 1.2.3.4. 5.6.7.8 1 2\r\n",
        "PROXY TCP4 1..3.4 5.6.7.8 1 2\r\n",
        "PROXY TCP4 1.2.3.4 localhost 1 2\r\n",
        "PROXY TCP4 2020:dead::1 2021:cafe::2 1 2\r\n",          // the wrong family
        "PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY TCP6 1.2.3.4 2021:cafe::2 1 2\r\n",
        "PROXY TCP6 2020:dead::000g 2021:cafe::2 1 2\r\n",       // bad IPv6
        "PROXY TCP6 2020:dead::00001 2021:cafe::2 1 2\r\n",
        "PROXY TCP6 1::2::3 2021:cafe::2 1 2\r\n",
        "PROXY TCP6 ::: 2021:cafe::2 1 2\r\n",
        "PROXY TCP6 :1 2021:cafe::2 1 2\r\n",
        "PROXY TCP6 1: 2021:cafe::2 1 2\r\n",
        "PROXY TCP6 1:2:3:4:5:6:7:8:9 2021:cafe::2 1 2\r\n",
        "PROXY TCP6 1:2:3:4:5:6:7 2021:cafe::2 1 2\r\n",
        "PROXY TCP6 1::2:3:4:5:6:7:8 2021:cafe::2 1 2\r\n",
        "PROXY TCP6 fe80::1%eth0 2021:cafe::2 1 2\r\n",         // a zone
        "PROXY TCP6 [::1] 2021:cafe::2 1 2\r\n",                 // brackets
        "PROXY TCP6 ::ffff:1.2.3.256 ::1 1 2\r\n",
        "PROXY TCP6 1:2:3:4:5:6:7:1.2.3.4 ::1 1 2\r\n",
        "PROXY TCP6  2020:dead::1 2021:cafe::2 1 2\r\n",
        "PROXY UNKNOWN \u0000\r\n",                              // control character
        "PROXY UNKNOWN caf\u00e9\r\n",                           // not ASCII
        "NOTPROX TCP4 1.2.3.4 5.6.7.8 1 2\r\n",                  // not a header at all
        "HELO example.org\r\n",
        "EHLO example.org\r\n",
        "\r\r\n",
    })
    void v1Malformed(String line) {
        ProxyHeaderParser parser = new ProxyHeaderParser();
        assertEquals(Status.INVALID, parser.feed(ByteBuffer.wrap(line.getBytes(StandardCharsets.ISO_8859_1))),
                () -> "accepted: " + line.replace("\r", "\\r").replace("\n", "\\n"));
        assertNotNull(parser.error());
        assertNull(parser.header());
    }

    @Test
    void garbageIsRefusedAtTheFirstWrongByte() {
        ProxyHeaderParser parser = new ProxyHeaderParser();
        ByteBuffer in = ByteBuffer.wrap("HELO x\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Status.INVALID, parser.feed(in));
        assertEquals(0, in.position());
        ProxyHeaderParser prefix = new ProxyHeaderParser();
        ByteBuffer almost = ByteBuffer.wrap("PROXI TCP4".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Status.INVALID, prefix.feed(almost));
        assertEquals(5, almost.position());
    }

    // ---- version 2 -----------------------------------------------------------------------------------------------

    @Test
    void v2AiosmtpdVector() throws Exception {
        ProxyHeader h = ProxyHeaderParser.parse(AIOSMTPD_V2);
        assertEquals(2, h.version());
        assertEquals("PROXY", h.command());
        assertEquals("INET", h.family());
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 45138), h.source());
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 25253), h.destination());
        assertEquals("AUTHORITY", h.tlvText(ProxyData.PP2_TYPE_AUTHORITY).orElseThrow());
        assertEquals("UNIQUE_ID", h.tlvText(ProxyData.PP2_TYPE_UNIQUE_ID).orElseThrow());
        assertArrayEquals(new byte[] {0x54, (byte) 0xfd, (byte) 0xc6, (byte) 0xff},
                h.tlv(ProxyData.PP2_TYPE_CRC32C).orElseThrow());
        assertEquals(1, h.tlv(ProxyData.PP2_TYPE_SSL).orElseThrow()[0]);
        assertEquals("TLSv1.2", h.tlvText(ProxyData.PP2_SUBTYPE_SSL_VERSION).orElseThrow());
        assertEquals("ECDHE-RSA-AES256-GCM-SHA384", h.tlvText(ProxyData.PP2_SUBTYPE_SSL_CIPHER).orElseThrow());
        assertEquals("RSA-SHA256", h.tlvText(ProxyData.PP2_SUBTYPE_SSL_SIG_ALG).orElseThrow());
        assertEquals("RSA4096", h.tlvText(ProxyData.PP2_SUBTYPE_SSL_KEY_ALG).orElseThrow());
        assertFalse(h.tlv(ProxyData.PP2_SUBTYPE_SSL_CN).isPresent());
        assertFalse(h.tlv(ProxyData.PP2_TYPE_ALPN).isPresent());
    }

    @Test
    void v2LeavesTheBytesAfterTheHeader() {
        byte[] tail = "Test data that is not part of PROXYv2.\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.wrap(ProxyV2.concat(AIOSMTPD_V2, tail));
        ProxyHeaderParser parser = new ProxyHeaderParser();
        assertEquals(Status.COMPLETE, parser.feed(in));
        assertEquals(AIOSMTPD_V2.length, in.position());
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        assertArrayEquals(tail, rest);
    }

    @Test
    void v1LeavesTheBytesAfterTheHeader() {
        ByteBuffer in = ByteBuffer.wrap("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\nEHLO x\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        ProxyHeaderParser parser = new ProxyHeaderParser();
        assertEquals(Status.COMPLETE, parser.feed(in));
        assertEquals("EHLO x\r\n", StandardCharsets.US_ASCII.decode(in).toString());
        assertThrows(IllegalArgumentException.class, () -> ProxyHeaderParser.parse(
                "PROXY UNKNOWN\r\nx".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void v2Tcp4() throws Exception {
        ProxyHeader h = ProxyHeaderParser.parse(ProxyV2.tcp4("10.212.4.33", 0, "10.11.12.13", 65535).build());
        assertEquals("INET", h.family());
        assertEquals(new InetSocketAddress(InetAddress.getByName("10.212.4.33"), 0), h.source());
        assertEquals(new InetSocketAddress(InetAddress.getByName("10.11.12.13"), 65535), h.destination());
        assertTrue(h.tlvs().isEmpty());
    }

    @Test
    void v2Tcp6AndDatagram() throws Exception {
        ProxyHeader h = ProxyHeaderParser.parse(ProxyV2.tcp6("2020:dead::1", 65534, "2021:cafe::22", 8080).build());
        assertEquals("INET6", h.family());
        assertEquals(new InetSocketAddress(InetAddress.getByName("2020:dead::1"), 65534), h.source());
        assertEquals(new InetSocketAddress(InetAddress.getByName("2021:cafe::22"), 8080), h.destination());
        ProxyHeader udp = ProxyHeaderParser.parse(ProxyV2.tcp4("1.2.3.4", 5, "6.7.8.9", 10).protocol(2).build());
        assertEquals("1.2.3.4", udp.source().getAddress().getHostAddress());
    }

    @Test
    void v2AllTlvs() {
        byte[] uniqueId = new byte[128];
        Arrays.fill(uniqueId, (byte) 7);
        byte[] ssl = ProxyV2.ssl(0x07, 0, ProxyV2.concat(ProxyV2.tlvBytes(0x21, "TLSv1.3"),
                ProxyV2.tlvBytes(0x22, "client.example"), ProxyV2.tlvBytes(0x23, "TLS_AES_128_GCM_SHA256"),
                ProxyV2.tlvBytes(0x24, "ECDSA-SHA256"), ProxyV2.tlvBytes(0x25, "EC256")));
        byte[] header = ProxyV2.tcp4("192.0.2.1", 40000, "198.51.100.2", 25)
                .tlv(0x01, "h2").tlv(0x02, "mail.example.org").tlv(0x04, new byte[3]).tlv(0x04, new byte[0])
                .tlv(0x05, uniqueId).tlv(0x20, ssl).tlv(0x30, "blue").tlv(0xE0, "custom").crc().build();
        ProxyHeader h = ProxyHeaderParser.parse(header);
        assertEquals("h2", h.tlvText(ProxyData.PP2_TYPE_ALPN).orElseThrow());
        assertEquals("mail.example.org", h.tlvText(ProxyData.PP2_TYPE_AUTHORITY).orElseThrow());
        assertArrayEquals(new byte[3], h.tlv(ProxyData.PP2_TYPE_NOOP).orElseThrow());
        assertArrayEquals(uniqueId, h.tlv(ProxyData.PP2_TYPE_UNIQUE_ID).orElseThrow());
        assertArrayEquals(ssl, h.tlv(ProxyData.PP2_TYPE_SSL).orElseThrow());
        assertEquals("TLSv1.3", h.tlvText(ProxyData.PP2_SUBTYPE_SSL_VERSION).orElseThrow());
        assertEquals("client.example", h.tlvText(ProxyData.PP2_SUBTYPE_SSL_CN).orElseThrow());
        assertEquals("TLS_AES_128_GCM_SHA256", h.tlvText(ProxyData.PP2_SUBTYPE_SSL_CIPHER).orElseThrow());
        assertEquals("ECDSA-SHA256", h.tlvText(ProxyData.PP2_SUBTYPE_SSL_SIG_ALG).orElseThrow());
        assertEquals("EC256", h.tlvText(ProxyData.PP2_SUBTYPE_SSL_KEY_ALG).orElseThrow());
        assertEquals("blue", h.tlvText(ProxyData.PP2_TYPE_NETNS).orElseThrow());
        assertEquals("custom", h.tlvText(0xE0).orElseThrow());
        assertTrue(h.tlvs().containsKey(ProxyData.PP2_TYPE_CRC32C));
        // the map is read-only, and tlv() hands out copies
        assertThrows(UnsupportedOperationException.class, () -> h.tlvs().put(9, new byte[0]));
        h.tlv(ProxyData.PP2_TYPE_UNIQUE_ID).orElseThrow()[0] = 0;
        assertEquals(7, h.tlv(ProxyData.PP2_TYPE_UNIQUE_ID).orElseThrow()[0]);
    }

    @Test
    void v2LocalUsesTheRealEndpoints() {
        ProxyHeader empty = ProxyHeaderParser.parse(ProxyV2.local().build());
        assertEquals("LOCAL", empty.command());
        assertEquals("UNSPEC", empty.family());
        assertNull(empty.source());
        // the payload of LOCAL is skipped, even when it is no TLV (aiosmtpd accepts it too)
        ProxyHeader junk = ProxyHeaderParser.parse(ProxyV2.local().raw("asdfghjkl".getBytes()).build());
        assertNull(junk.source());
        assertTrue(junk.tlvs().isEmpty());
        ProxyHeader inet = ProxyHeaderParser.parse(ProxyV2.tcp4("10.0.0.1", 1, "10.0.0.2", 2).command(0)
                .raw("fake_tlv".getBytes()).build());
        assertEquals("LOCAL", inet.command());
        assertEquals("INET", inet.family());
        assertNull(inet.source(), "LOCAL: the connection's own endpoints count");
        assertTrue(inet.tlvs().isEmpty());
        ProxyHeader withTlv = ProxyHeaderParser.parse(ProxyV2.local().tlv(0x05, "id-1").build());
        assertEquals("id-1", withTlv.tlvText(ProxyData.PP2_TYPE_UNIQUE_ID).orElseThrow());
    }

    @Test
    void v2UnspecifiedFamilyOrProtocol() {
        ProxyHeader unspec = ProxyHeaderParser.parse(ProxyV2.local().command(1).raw("whatever".getBytes()).build());
        assertEquals("PROXY", unspec.command());
        assertEquals("UNSPEC", unspec.family());
        assertNull(unspec.source());
        for (int family = 0; family <= 3; family++) {
            ProxyHeader h = ProxyHeaderParser.parse(ProxyV2.local().command(1).family(family).protocol(0)
                    .raw("whatever".getBytes()).build());
            assertNull(h.source());
            assertEquals("UNSPEC", h.family());
        }
        ProxyHeader stream = ProxyHeaderParser.parse(ProxyV2.local().command(1).family(0).protocol(1)
                .raw("whatever".getBytes()).build());
        assertNull(stream.source());
    }

    @Test
    void v2UnixIsTreatedAsUnspecified() {
        ProxyHeader h = ProxyHeaderParser.parse(ProxyV2.unix("/proc/source", "/proc/dest").tlv(0x02, "a").build());
        assertEquals("UNIX", h.family());
        assertEquals("PROXY", h.command());
        assertNull(h.source());
        assertNull(h.destination());
        assertEquals("a", h.tlvText(ProxyData.PP2_TYPE_AUTHORITY).orElseThrow());
        ProxyHeader local = ProxyHeaderParser.parse(ProxyV2.unix("/a", "/b").command(0).protocol(2).build());
        assertNull(local.source());
    }

    @Test
    void v2Ipv4MappedSource() throws Exception {
        ProxyHeader h = ProxyHeaderParser.parse(ProxyV2.tcp6("::ffff:192.0.2.7", 1234, "::1", 25).build());
        assertEquals(InetAddress.getByName("192.0.2.7"), h.source().getAddress());
    }

    @Test
    void v2LongestPayload() {
        byte[] noop = new byte[ProxyHeaderParser.V2_MAX_PAYLOAD - 12 - 3];
        ProxyHeader h = ProxyHeaderParser.parse(ProxyV2.tcp4("1.1.1.1", 1, "2.2.2.2", 2).tlv(0x04, noop).build());
        assertEquals(noop.length, h.tlv(ProxyData.PP2_TYPE_NOOP).orElseThrow().length);
    }

    @Test
    void v2OversizeIsRefusedAfterTheFixedPart() {
        byte[] header = ProxyV2.tcp4("1.1.1.1", 1, "2.2.2.2", 2)
                .tlv(0x04, new byte[ProxyHeaderParser.V2_MAX_PAYLOAD]).build();
        ProxyHeaderParser parser = new ProxyHeaderParser();
        ByteBuffer in = ByteBuffer.wrap(header);
        assertEquals(Status.INVALID, parser.feed(in));
        assertEquals(16, in.position());
        assertEquals("PROXYv2 header too long", parser.error());
        byte[] claimsMax = ProxyV2.local().length(65535).build();
        assertEquals(Status.INVALID, new ProxyHeaderParser().feed(ByteBuffer.wrap(claimsMax)));
    }

    @Test
    void v2Malformed() {
        byte[] good = ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).build();
        // every byte of the signature matters
        for (int i = 0; i < 12; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            assertInvalid(bad, i == 0 ? "PROXY unrecognized signature" : "PROXYv2 wrong signature");
        }
        assertInvalid(ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).version(3).build(), "PROXYv2 illegal version");
        assertInvalid(ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).version(1).build(), "PROXYv2 illegal version");
        assertInvalid(ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).command(2).build(), "PROXYv2 unsupported command");
        assertInvalid(ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).command(15).build(), "PROXYv2 unsupported command");
        assertInvalid(ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).family(4).build(), "PROXYv2 unsupported family");
        assertInvalid(ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).protocol(3).build(), "PROXYv2 unsupported protocol");
        // addresses shorter than the family needs
        assertInvalid(ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).family(2).build(), "PROXYv2 truncated address");
        assertInvalid(Arrays.copyOf(good, good.length - 1), null, Status.INCOMPLETE);
        byte[] shortInet = ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2).length(11).build();
        assertInvalid(Arrays.copyOf(shortInet, 16 + 11), "PROXYv2 truncated address");
        assertInvalid(ProxyV2.unix("/a", "/b").length(215).build(), "PROXYv2 truncated address");
        byte[] unix = ProxyV2.unix("/a", "/b").build();
        byte[] shortUnix = Arrays.copyOf(unix, 16 + 100);
        shortUnix[15] = 100;
        shortUnix[14] = 0;
        assertInvalid(shortUnix, "PROXYv2 truncated address");
    }

    @Test
    void v2MalformedTlvs() {
        assertInvalid(tcp4().raw("fake_tlv".getBytes()).build(), "PROXYv2 malformed TLV");
        assertInvalid(tcp4().raw(new byte[] {0x04, 0x00}).build(), "PROXYv2 malformed TLV");
        assertInvalid(tcp4().raw(new byte[] {0x04}).build(), "PROXYv2 malformed TLV");
        assertInvalid(tcp4().raw(new byte[] {0x02, 0x00, 0x05, 'a', 'b'}).build(), "PROXYv2 malformed TLV");
        assertInvalid(tcp4().tlv(0x02, "a").tlv(0x02, "b").build(), "PROXYv2 duplicate TLV 0x02");
        assertInvalid(tcp4().tlv(0x03, new byte[3]).build(), "PROXYv2 malformed CRC32C TLV");
        assertInvalid(tcp4().tlv(0x05, new byte[129]).build(), "PROXYv2 UNIQUE_ID TLV too long");
        assertInvalid(tcp4().tlv(0x20, new byte[4]).build(), "PROXYv2 malformed SSL TLV");
        // an SSL TLV whose sub-TLVs overrun it (aiosmtpd's "malformed ssl" vector)
        assertInvalid(tcp4().tlv(0x20, ProxyV2.concat(new byte[] {1, 2, 3, 4, 5},
                new byte[] {0x21, 0x00, 0x07}, "version".getBytes(), new byte[] {0x22, 0x00, 0x09},
                "trunc".getBytes())).build(), "PROXYv2 malformed TLV");
        assertInvalid(tcp4().tlv(0x20, ProxyV2.ssl(1, 0, ProxyV2.concat(ProxyV2.tlvBytes(0x21, "a"),
                ProxyV2.tlvBytes(0x21, "b")))).build(), "PROXYv2 duplicate SSL sub-TLV 0x21");
    }

    @Test
    void v2Crc32c() {
        byte[] good = tcp4().tlv(0x02, "example.org").crc().build();
        assertNotNull(ProxyHeaderParser.parse(good));
        for (int i = 0; i < good.length; i++) {
            if (i == good.length - 7) {
                continue; // the CRC32C TLV's type: without it, nothing is left to verify
            }
            byte[] bad = good.clone();
            bad[i] ^= 0x20;
            ProxyHeaderParser parser = new ProxyHeaderParser();
            assertEquals(Status.INVALID, parser.feed(ByteBuffer.wrap(bad)), "byte " + i + " changed");
        }
        assertInvalid(tcp4().tlv(0x03, new byte[] {1, 2, 3, 4}).build(), "PROXYv2 CRC32C mismatch");
        // a checksum is verified for LOCAL too
        assertNotNull(ProxyHeaderParser.parse(ProxyV2.local().crc().build()));
        byte[] local = ProxyV2.local().crc().build();
        local[local.length - 1] ^= 1;
        assertInvalid(local, "PROXYv2 CRC32C mismatch");
    }

    @Test
    void v2Incomplete() {
        byte[] good = tcp4().tlv(0x02, "example.org").build();
        for (int cut = 0; cut < good.length; cut++) {
            ProxyHeaderParser parser = new ProxyHeaderParser();
            assertEquals(Status.INCOMPLETE, parser.feed(ByteBuffer.wrap(Arrays.copyOf(good, cut))), "cut " + cut);
        }
    }

    @Test
    void everyFormByteByByte() {
        byte[][] headers = {
            "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n".getBytes(StandardCharsets.US_ASCII),
            "PROXY TCP6 2001:db8::1 2001:db8::2 56324 25\r\n".getBytes(StandardCharsets.US_ASCII),
            "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII),
            AIOSMTPD_V2,
            ProxyV2.tcp6("2001:db8::1", 1, "2001:db8::2", 2).tlv(0x05, "x").crc().build(),
            ProxyV2.local().build(),
            ProxyV2.unix("/a", "/b").build(),
        };
        for (byte[] header : headers) {
            ProxyHeaderParser parser = new ProxyHeaderParser();
            for (int i = 0; i < header.length; i++) {
                ByteBuffer one = ByteBuffer.wrap(header, i, 1);
                Status status = parser.feed(one);
                assertFalse(one.hasRemaining());
                assertEquals(i == header.length - 1 ? Status.COMPLETE : Status.INCOMPLETE, status, "byte " + i);
                assertTrue(parser.buffered() <= Math.max(ProxyHeaderParser.V1_MAX_LENGTH,
                        ProxyHeaderParser.V2_FIXED_LENGTH + ProxyHeaderParser.V2_MAX_PAYLOAD));
            }
            assertNotNull(parser.header());
            ByteBuffer more = ByteBuffer.wrap(new byte[] {'Q'});
            assertEquals(Status.COMPLETE, parser.feed(more), "a complete parser reads nothing more");
            assertTrue(more.hasRemaining());
        }
    }

    @Test
    void randomGarbageNeverCompletesAndStaysBounded() {
        Random random = new Random(7);
        for (int n = 0; n < 2000; n++) {
            byte[] junk = new byte[random.nextInt(300)];
            random.nextBytes(junk);
            if (n % 3 == 0 && junk.length > 12) {
                System.arraycopy(ProxyV2.SIGNATURE, 0, junk, 0, 12); // a valid start, garbage after
            }
            ProxyHeaderParser parser = new ProxyHeaderParser();
            ByteBuffer in = ByteBuffer.wrap(junk);
            Status status = parser.feed(in);
            assertTrue(parser.buffered() <= ProxyHeaderParser.V2_FIXED_LENGTH + ProxyHeaderParser.V2_MAX_PAYLOAD);
            if (status == Status.COMPLETE) {
                assertNotNull(parser.header()); // garbage that happens to be a valid v2 LOCAL/UNSPEC header
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static ProxyV2 tcp4() {
        return ProxyV2.tcp4("1.2.3.4", 1, "5.6.7.8", 2);
    }

    private static ProxyHeader parse(String text) {
        return ProxyHeaderParser.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void assertInvalid(byte[] header, String error) {
        assertInvalid(header, error, Status.INVALID);
    }

    private static void assertInvalid(byte[] header, String error, Status expected) {
        ProxyHeaderParser parser = new ProxyHeaderParser();
        assertEquals(expected, parser.feed(ByteBuffer.wrap(header)), () -> "error: " + parser.error());
        if (error != null) {
            assertEquals(error, parser.error());
        }
    }
}
