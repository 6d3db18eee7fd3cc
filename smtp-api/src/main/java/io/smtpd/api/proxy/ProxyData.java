package io.smtpd.api.proxy;

import java.net.InetSocketAddress;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** What a HAProxy PROXY protocol header (v1 or v2) said about the connection it forwards. */
@ProviderType
public interface ProxyData {
    /** 1 for the text form, 2 for the binary form. */
    int version();

    /** {@code PROXY} for a forwarded connection, {@code LOCAL} for the proxy's own (v2 only). */
    String command();

    /** {@code TCP4}, {@code TCP6} or {@code UNKNOWN} (v1); {@code INET}, {@code INET6} or {@code UNSPEC} (v2). */
    String family();

    /** The original client, or {@code null} for LOCAL, UNKNOWN and UNSPEC. */
    InetSocketAddress source();

    /** The address the client connected to, or {@code null} when unknown. */
    InetSocketAddress destination();

    /** The v2 TLVs by type, each value as raw bytes; empty for v1. */
    Map<Integer, byte[]> tlvs();
}
