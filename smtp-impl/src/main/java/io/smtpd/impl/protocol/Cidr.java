package io.smtpd.impl.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** An IP network written as an address or {@code address/prefix} (IPv4 or IPv6 literals only, no names). */
public final class Cidr {
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** @throws IllegalArgumentException when {@code text} is not an IP literal with an optional prefix length */
    public static Cidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String host = slash < 0 ? t : t.substring(0, slash);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || !(host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0'
                && c <= '9')))) {
            throw new IllegalArgumentException("not an IP network: " + text);
        }
        byte[] address;
        try {
            address = InetAddress.getByName(host).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP network: " + text, e);
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length: " + text, e);
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("bad prefix length: " + text);
            }
        }
        return new Cidr(address, prefix);
    }

    /** Whether {@code address} is in this network (an IPv4-mapped IPv6 address counts as IPv4). */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            byte[] v4 = new byte[4];
            System.arraycopy(a, 12, v4, 0, 4);
            a = v4;
        }
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** Whether {@code address} is in any of {@code networks}. */
    public static boolean anyContains(List<String> networks, InetAddress address) {
        for (String network : networks) {
            if (parse(network).contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }
}
