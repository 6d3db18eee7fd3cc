package io.smtpd.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import io.smtpd.handlers.Sink;
import io.smtpd.server.ServerSettings.TlsSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.TestServers;

/** Certificates from a key store instead of PEM files (the Configuration Admin {@code *.keystore} properties). */
class KeyStoreTlsTest {
    private static final TestCertificates CERTS = TestCertificates.get();

    @Test
    void smtpsServesTheKeyStoresCertificate() throws Exception {
        TlsSettings store = TlsSettings.keyStore(CERTS.dir.resolve("rsa.p12"), "PKCS12", "changeit");
        try (SmtpServer server = TestServers.start(new Sink(), TestServers.settings().implicitTls(store));
             SSLSocket socket = (SSLSocket) TestCertificates.trustAll().createSocket("127.0.0.1",
                     server.localAddress().getPort())) {
            socket.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertTrue(in.readLine().startsWith("220 "));
            assertEquals(CERTS.rsaCertificate, socket.getSession().getPeerCertificates()[0]);
        }
    }

    @Test
    void aWrongPasswordFailsTheStartNamingTheFile() {
        TlsSettings store = TlsSettings.keyStore(CERTS.dir.resolve("rsa.p12"), "PKCS12", "wrong");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestServers.start(new Sink(), TestServers.settings().implicitTls(store)));
        assertTrue(e.getMessage().contains("rsa.p12"), e.getMessage());
    }

    @Test
    void pemFilesAndAKeyStoreTogetherAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TlsSettings(CERTS.dir.resolve("a.pem"),
                CERTS.dir.resolve("a.key"), CERTS.dir.resolve("rsa.p12"), "PKCS12", "x"));
    }
}
