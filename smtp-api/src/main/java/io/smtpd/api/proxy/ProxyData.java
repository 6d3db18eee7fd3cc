package io.smtpd.api.proxy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a HAProxy PROXY protocol header (v1 or v2) said about the connection it forwards.
 *
 * <p>The v2 TLVs are in {@link #tlvs()} by type. The sub-TLVs of {@link #PP2_TYPE_SSL} ({@code 0x21} to
 * {@code 0x25}) are listed there too, beside the SSL TLV itself, since their types never clash with top-level ones.
 * A {@link #PP2_TYPE_CRC32C} TLV has been verified before a header is accepted.
 */
@ProviderType
public interface ProxyData {
    /** Application-Layer Protocol Negotiation: the protocol the client chose, for example {@code h2}. */
    int PP2_TYPE_ALPN = 0x01;
    /** The host name the client asked for (TLS SNI or equivalent), UTF-8. */
    int PP2_TYPE_AUTHORITY = 0x02;
    /** The CRC32c checksum of the header (verified by the server). */
    int PP2_TYPE_CRC32C = 0x03;
    /** Padding, without meaning. */
    int PP2_TYPE_NOOP = 0x04;
    /** An opaque identifier of the connection, at most 128 bytes. */
    int PP2_TYPE_UNIQUE_ID = 0x05;
    /** The client connected over TLS: a client flags byte, a 32-bit verify result, then the SSL sub-TLVs. */
    int PP2_TYPE_SSL = 0x20;
    /** SSL sub-TLV: the TLS version, for example {@code TLSv1.3}. */
    int PP2_SUBTYPE_SSL_VERSION = 0x21;
    /** SSL sub-TLV: the common name of the client certificate's subject. */
    int PP2_SUBTYPE_SSL_CN = 0x22;
    /** SSL sub-TLV: the cipher, for example {@code ECDHE-RSA-AES128-GCM-SHA256}. */
    int PP2_SUBTYPE_SSL_CIPHER = 0x23;
    /** SSL sub-TLV: the signature algorithm of the server certificate. */
    int PP2_SUBTYPE_SSL_SIG_ALG = 0x24;
    /** SSL sub-TLV: the key algorithm of the server certificate. */
    int PP2_SUBTYPE_SSL_KEY_ALG = 0x25;
    /** The network namespace the proxy accepted the connection in, US-ASCII. */
    int PP2_TYPE_NETNS = 0x30;

    /** 1 for the text form, 2 for the binary form. */
    int version();

    /** {@code PROXY} for a forwarded connection, {@code LOCAL} for the proxy's own (v2 only). */
    String command();

    /**
     * {@code TCP4}, {@code TCP6} or {@code UNKNOWN} (v1); {@code INET}, {@code INET6}, {@code UNIX} or
     * {@code UNSPEC} (v2).
     */
    String family();

    /** The original client, or {@code null} for LOCAL, UNKNOWN, UNSPEC and UNIX. */
    InetSocketAddress source();

    /** The address the client connected to, or {@code null} when unknown. */
    InetSocketAddress destination();

    /** The v2 TLVs by type, each value as raw bytes; empty for v1. */
    Map<Integer, byte[]> tlvs();

    /** The value of the TLV of {@code type} (a copy), if the header had one. */
    default Optional<byte[]> tlv(int type) {
        byte[] value = tlvs().get(type);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    /**
     * The value of the TLV of {@code type} as text (UTF-8), if the header had one: for {@link #PP2_TYPE_AUTHORITY},
     * {@link #PP2_TYPE_ALPN}, the SSL sub-TLVs and {@link #PP2_TYPE_NETNS}.
     */
    default Optional<String> tlvText(int type) {
        byte[] value = tlvs().get(type);
        return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
    }
}
