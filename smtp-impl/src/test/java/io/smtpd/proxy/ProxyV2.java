package io.smtpd.proxy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Builds PROXY protocol v2 headers for tests. */
final class ProxyV2 {
    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private int version = 2;
    private int command = 1;
    private int family = 1;
    private int protocol = 1;
    private final ByteArrayOutputStream addresses = new ByteArrayOutputStream();
    private final ByteArrayOutputStream tlvs = new ByteArrayOutputStream();
    private boolean crc;
    private Integer lengthOverride;

    static ProxyV2 tcp4(String src, int srcPort, String dst, int dstPort) {
        ProxyV2 h = new ProxyV2();
        h.family = 1;
        h.addresses.writeBytes(ip(src, 4));
        h.addresses.writeBytes(ip(dst, 4));
        h.addresses.writeBytes(port(srcPort));
        h.addresses.writeBytes(port(dstPort));
        return h;
    }

    static ProxyV2 tcp6(String src, int srcPort, String dst, int dstPort) {
        ProxyV2 h = new ProxyV2();
        h.family = 2;
        h.addresses.writeBytes(ip(src, 16));
        h.addresses.writeBytes(ip(dst, 16));
        h.addresses.writeBytes(port(srcPort));
        h.addresses.writeBytes(port(dstPort));
        return h;
    }

    static ProxyV2 unix(String src, String dst) {
        ProxyV2 h = new ProxyV2();
        h.family = 3;
        h.addresses.writeBytes(java.util.Arrays.copyOf(src.getBytes(StandardCharsets.US_ASCII), 108));
        h.addresses.writeBytes(java.util.Arrays.copyOf(dst.getBytes(StandardCharsets.US_ASCII), 108));
        return h;
    }

    static ProxyV2 local() {
        ProxyV2 h = new ProxyV2();
        h.command = 0;
        h.family = 0;
        h.protocol = 0;
        return h;
    }

    ProxyV2 version(int v) {
        version = v;
        return this;
    }

    ProxyV2 command(int c) {
        command = c;
        return this;
    }

    ProxyV2 family(int f) {
        family = f;
        return this;
    }

    ProxyV2 protocol(int p) {
        protocol = p;
        return this;
    }

    ProxyV2 length(int length) {
        lengthOverride = length;
        return this;
    }

    ProxyV2 raw(byte[] bytes) {
        tlvs.writeBytes(bytes);
        return this;
    }

    ProxyV2 tlv(int type, byte[] value) {
        tlvs.write(type);
        tlvs.writeBytes(port(value.length));
        tlvs.writeBytes(value);
        return this;
    }

    ProxyV2 tlv(int type, String value) {
        return tlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends a CRC32C TLV and fills it in when building. */
    ProxyV2 crc() {
        crc = true;
        return tlv(0x03, new byte[4]);
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        out.write((version << 4) | command);
        out.write((family << 4) | protocol);
        int length = addresses.size() + tlvs.size();
        out.writeBytes(port(lengthOverride != null ? lengthOverride : length));
        out.writeBytes(addresses.toByteArray());
        out.writeBytes(tlvs.toByteArray());
        byte[] header = out.toByteArray();
        if (crc) {
            int at = 16 + addresses.size() + tlvs.size() - 4;
            CRC32C c = new CRC32C();
            c.update(header, 0, header.length);
            long value = c.getValue();
            header[at] = (byte) (value >>> 24);
            header[at + 1] = (byte) (value >>> 16);
            header[at + 2] = (byte) (value >>> 8);
            header[at + 3] = (byte) value;
        }
        return header;
    }

    static byte[] ssl(int client, int verify, byte[] subTlvs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(client);
        out.writeBytes(new byte[] {(byte) (verify >>> 24), (byte) (verify >>> 16), (byte) (verify >>> 8),
            (byte) verify});
        out.writeBytes(subTlvs);
        return out.toByteArray();
    }

    static byte[] tlvBytes(int type, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.writeBytes(port(v.length));
        out.writeBytes(v);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] ip(String text, int size) {
        try {
            byte[] address = InetAddress.getByName(text).getAddress();
            if (address.length != size) {
                // an IPv4-mapped IPv6 address comes back as 4 bytes
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(address, 0, mapped, 12, 4);
                return mapped;
            }
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static byte[] port(int port) {
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }
}
