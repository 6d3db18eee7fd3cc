package io.smtpd.impl.tls;

import java.security.cert.Certificate;
import java.util.List;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.smtpd.api.TlsInfo;

/** {@link TlsInfo} read from a negotiated {@link SSLSession}. */
public record SessionTlsInfo(String protocol, String cipherSuite, List<Certificate> peerCertificates,
                             boolean implicit) implements TlsInfo {

    public SessionTlsInfo {
        peerCertificates = List.copyOf(peerCertificates);
    }

    public static SessionTlsInfo of(SSLSession session, boolean implicit) {
        List<Certificate> peer;
        try {
            peer = List.of(session.getPeerCertificates());
        } catch (SSLPeerUnverifiedException none) {
            peer = List.of();
        }
        return new SessionTlsInfo(session.getProtocol(), session.getCipherSuite(), peer, implicit);
    }

    @Override
    public String toString() {
        return protocol + " " + cipherSuite + (implicit ? " (implicit)" : "");
    }
}
