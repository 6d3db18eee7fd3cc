package io.smtpd.api;

import java.security.cert.Certificate;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** What the TLS layer of a connection negotiated (after STARTTLS, or from the start with implicit TLS). */
@ProviderType
public interface TlsInfo {
    /** The protocol, for example {@code TLSv1.3}. */
    String protocol();

    /** The cipher suite, for example {@code TLS_AES_256_GCM_SHA384}. */
    String cipherSuite();

    /** The client's certificate chain, empty when the client sent none. */
    List<Certificate> peerCertificates();

    /** Whether TLS was on from the first byte (SMTPS) rather than started with STARTTLS. */
    boolean implicit();
}
