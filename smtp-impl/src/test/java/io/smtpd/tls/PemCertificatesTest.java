package io.smtpd.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smtpd.impl.tls.Pem;
import io.smtpd.impl.tls.ServerTls;
import io.smtpd.server.ServerSettings.TlsSettings;

/** PEM certificates and keys in every supported form, and the TLS policy of the engines made from them. */
class PemCertificatesTest {
    private static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.get();
    }

    @Test
    void readsPkcs8RsaKey() {
        PrivateKey key = Pem.privateKey(certs.rsa.privateKey(), null);
        assertEquals("RSA", key.getAlgorithm());
        assertNotNull(ServerTls.load(certs.rsa));
    }

    @Test
    void readsPkcs1RsaKey() {
        PrivateKey pkcs1 = Pem.privateKey(certs.rsaPkcs1.privateKey(), null);
        PrivateKey pkcs8 = Pem.privateKey(certs.rsa.privateKey(), null);
        assertEquals(pkcs8, pkcs1);
        assertNotNull(ServerTls.load(certs.rsaPkcs1));
    }

    @Test
    void readsPkcs8EcKey() {
        assertEquals("EC", Pem.privateKey(certs.ec.privateKey(), null).getAlgorithm());
        assertNotNull(ServerTls.load(certs.ec));
    }

    @Test
    void readsSec1EcKeyNamingItsCurveAfterAnEcParametersBlock() {
        assertEquals(((ECPrivateKey) Pem.privateKey(certs.ec.privateKey(), null)).getS(),
                ((ECPrivateKey) Pem.privateKey(certs.ecSec1.privateKey(), null)).getS());
        assertNotNull(ServerTls.load(certs.ecSec1));
    }

    @Test
    void readsSec1EcKeyWithoutCurveUsingTheCertificatesCurve() {
        assertNotNull(ServerTls.load(certs.ecSec1NoCurve));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pem.privateKey(certs.ecSec1NoCurve.privateKey(), null));
        assertTrue(e.getMessage().contains("curve"), e.getMessage());
    }

    @Test
    void readsAFullChainInOrder() {
        List<X509Certificate> chain = Pem.certificates(certs.chained.certificate());
        assertEquals(2, chain.size());
        assertEquals(certs.ca, chain.get(1));
        assertNotNull(ServerTls.load(certs.chained));
    }

    @Test
    void putsTheKeysCertificateFirstAndDropsUnrelatedCertificates() throws Exception {
        String certificates = TestCertificates.pem("CERTIFICATE", certs.ca.getEncoded())
                + java.nio.file.Files.readString(certs.rsa.certificate());
        TlsSettings reversed = certs.write("reversed", certificates,
                java.nio.file.Files.readString(certs.rsa.privateKey()));
        assertNotNull(ServerTls.load(reversed));
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificate() throws Exception {
        TlsSettings mismatched = certs.write("mismatched", TestCertificates.pem("CERTIFICATE",
                certs.other.getEncoded()), java.nio.file.Files.readString(certs.rsa.privateKey()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerTls.load(mismatched));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void namesTheMissingFile() {
        Path missing = certs.dir.resolve("missing.crt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.load(new TlsSettings(missing, certs.rsa.privateKey())));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
    }

    @Test
    void refusesEncryptedKeysClearly() {
        TlsSettings encrypted = certs.write("encrypted", "", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pem.privateKey(encrypted.privateKey(), null));
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
        TlsSettings legacy = certs.write("legacy-encrypted", "", "-----BEGIN RSA PRIVATE KEY-----\n"
                + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n");
        e = assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(legacy.privateKey(), null));
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
    }

    @Test
    void refusesAFileWithoutCertificateOrKey() {
        TlsSettings empty = certs.write("empty", "nothing here\n", "nothing here\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pem.certificates(empty.certificate()))
                .getMessage().contains("no CERTIFICATE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(empty.privateKey(), null))
                .getMessage().contains("no private key"));
    }

    @Test
    void enginesOfferTls13And12OnlyWithForwardSecretAeadSuites() {
        ServerTls tls = ServerTls.load(certs.rsa);
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), tls.protocols());
        SSLEngine engine = tls.newEngine();
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), List.of(engine.getEnabledProtocols()));
        assertTrue(engine.getSSLParameters().getUseCipherSuitesOrder());
        assertTrue(!engine.getUseClientMode() && !engine.getNeedClientAuth() && !engine.getWantClientAuth());
        for (String suite : engine.getEnabledCipherSuites()) {
            assertTrue(suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")
                    || (suite.matches("TLS_(EC)?DHE_.*") && suite.matches(".*(_GCM_|CHACHA20).*")), suite);
        }
        assertTrue(List.of(engine.getEnabledCipherSuites()).contains("TLS_AES_128_GCM_SHA256"));
        assertTrue(List.of(engine.getEnabledCipherSuites()).contains("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
    }
}
