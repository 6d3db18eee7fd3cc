package io.smtpd.impl.proxy;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.smtpd.api.proxy.ProxyData;

/** A parsed, valid PROXY protocol header. Immutable but for the TLV byte arrays, which callers must not change. */
public final class ProxyHeader implements ProxyData {
    private final int version;
    private final String command;
    private final String family;
    private final InetSocketAddress source;
    private final InetSocketAddress destination;
    private final Map<Integer, byte[]> tlvs;

    ProxyHeader(int version, String command, String family, InetSocketAddress source,
                InetSocketAddress destination, Map<Integer, byte[]> tlvs) {
        this.version = version;
        this.command = command;
        this.family = family;
        this.source = source;
        this.destination = destination;
        this.tlvs = tlvs.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tlvs));
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public String command() {
        return command;
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    public InetSocketAddress source() {
        return source;
    }

    @Override
    public InetSocketAddress destination() {
        return destination;
    }

    @Override
    public Map<Integer, byte[]> tlvs() {
        return tlvs;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("PROXYv").append(version).append('[').append(command).append(' ')
                .append(family);
        if (source != null) {
            out.append(' ').append(text(source)).append(" -> ").append(text(destination));
        }
        if (!tlvs.isEmpty()) {
            out.append(" tlvs=");
            String sep = "";
            for (Integer type : tlvs.keySet()) {
                out.append(sep).append(String.format("0x%02x", type));
                sep = ",";
            }
        }
        return out.append(']').toString();
    }

    private static String text(InetSocketAddress address) {
        return address == null ? "?" : address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
