package io.smtpd.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.smtpd.server.ServerSettings.TlsSettings;

/**
 * Certificates for the TLS tests, made once per test run with the JDK's {@code keytool} and written as PEM: RSA and
 * EC self-signed certificates (keys as PKCS#8, PKCS#1 and SEC1), and a leaf signed by a test CA with its chain.
 * All name {@code localhost} and {@code 127.0.0.1}.
 */
public final class TestCertificates {
    private static final String PASS = "changeit";
    private static TestCertificates instance;

    public final Path dir;
    /** RSA, key as PKCS#8. */
    public final TlsSettings rsa;
    /** The same RSA certificate, key as PKCS#1 ({@code RSA PRIVATE KEY}). */
    public final TlsSettings rsaPkcs1;
    /** EC P-256, key as PKCS#8. */
    public final TlsSettings ec;
    /** The same EC certificate, key as SEC1 ({@code EC PRIVATE KEY}) naming its curve. */
    public final TlsSettings ecSec1;
    /** The same EC certificate, key as SEC1 without the curve (as the JDK encodes it). */
    public final TlsSettings ecSec1NoCurve;
    /** A leaf signed by {@link #ca}; the certificate file holds the leaf, then the CA. */
    public final TlsSettings chained;
    public final X509Certificate rsaCertificate;
    public final X509Certificate ecCertificate;
    public final X509Certificate ca;
    /** A certificate that is not the RSA key's (the CA's), for a key that does not match. */
    public final X509Certificate other;

    private TestCertificates(Path dir) throws Exception {
        this.dir = dir;
        String san = "SAN=dns:localhost,ip:127.0.0.1";
        // one key store per key, so that the slow part (a JVM and a key pair each) runs in parallel
        List<Process> generating = List.of(
                keytool(dir, "rsa", "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                        "-ext", san, "-validity", "3"),
                keytool(dir, "ec", "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                        "CN=localhost", "-ext", san, "-validity", "3"),
                keytool(dir, "ca", "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                        "CN=smtpd test CA", "-ext", "bc:c", "-validity", "3"),
                keytool(dir, "leaf", "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                        "CN=localhost", "-validity", "3"));
        for (Process process : generating) {
            await(process);
        }
        Path csr = dir.resolve("leaf.csr");
        Path leafFile = dir.resolve("leaf.cer");
        await(keytool(dir, "leaf", "-certreq", "-file", csr.toString()));
        await(keytool(dir, "ca", "-gencert", "-infile", csr.toString(), "-outfile", leafFile.toString(), "-ext", san,
                "-validity", "3"));

        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        for (String alias : List.of("rsa", "ec", "ca", "leaf")) {
            KeyStore one = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
                one.load(in, PASS.toCharArray());
            }
            keys.setKeyEntry(alias, one.getKey(alias, PASS.toCharArray()), PASS.toCharArray(),
                    one.getCertificateChain(alias));
        }
        rsaCertificate = (X509Certificate) keys.getCertificate("rsa");
        ecCertificate = (X509Certificate) keys.getCertificate("ec");
        ca = (X509Certificate) keys.getCertificate("ca");
        other = ca;
        byte[] rsaKey = key(keys, "rsa").getEncoded();
        byte[] ecKey = key(keys, "ec").getEncoded();
        X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(leafFile));

        rsa = write("rsa", pem("CERTIFICATE", rsaCertificate.getEncoded()), pem("PRIVATE KEY", rsaKey));
        rsaPkcs1 = write("rsa-pkcs1", pem("CERTIFICATE", rsaCertificate.getEncoded()),
                pem("RSA PRIVATE KEY", innerKey(rsaKey)));
        ec = write("ec", pem("CERTIFICATE", ecCertificate.getEncoded()), pem("PRIVATE KEY", ecKey));
        byte[] sec1 = innerKey(ecKey);
        ecSec1NoCurve = write("ec-sec1-nocurve", pem("CERTIFICATE", ecCertificate.getEncoded()),
                pem("EC PRIVATE KEY", sec1));
        ecSec1 = write("ec-sec1", pem("CERTIFICATE", ecCertificate.getEncoded()),
                "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                        + pem("EC PRIVATE KEY", withCurve(sec1)));
        chained = write("chained", pem("CERTIFICATE", leaf.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()),
                pem("PRIVATE KEY", key(keys, "leaf").getEncoded()));
    }

    /** The certificates, made on first use. */
    public static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("smtpd-tls-test");
                dir.toFile().deleteOnExit();
                instance = new TestCertificates(dir);
            } catch (Exception e) {
                throw new IllegalStateException("cannot make test certificates", e);
            }
        }
        return instance;
    }

    /** A client context trusting exactly {@code trusted}. */
    public static SSLContext clientContext(X509Certificate... trusted) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                store.setCertificateEntry("t" + i, trusted[i]);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A socket factory that trusts any server (for mail clients in tests only). */
    public static SSLSocketFactory trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context.getSocketFactory();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code name.crt} and {@code name.key}. */
    public TlsSettings write(String name, String certificatePem, String keyPem) {
        try {
            Path cert = dir.resolve(name + ".crt");
            Path key = dir.resolve(name + ".key");
            Files.writeString(cert, certificatePem, StandardCharsets.US_ASCII);
            Files.writeString(key, keyPem, StandardCharsets.US_ASCII);
            return new TlsSettings(cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static PrivateKey key(KeyStore keys, String alias) throws Exception {
        return (PrivateKey) keys.getKey(alias, PASS.toCharArray());
    }

    /** Starts keytool on the key store {@code alias.p12}, for the key {@code alias}. */
    private static Process keytool(Path dir, String alias, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-J-Djava.security.egd=file:/dev/urandom");
        command.addAll(List.of(args));
        command.addAll(List.of("-alias", alias, "-keystore", dir.resolve(alias + ".p12").toString(),
                "-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS, "-noprompt"));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static void await(Process process) throws Exception {
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    // ---- a little DER, to make PKCS#1 and SEC1 keys out of PKCS#8 ones ---------------------------------------------

    /** The key inside a PKCS#8 PrivateKeyInfo: PKCS#1 for RSA, SEC1 for EC. */
    static byte[] innerKey(byte[] pkcs8) {
        int[] pos = {0};
        int[] seq = header(pkcs8, pos); // SEQUENCE
        pos[0] = seq[1];
        skip(pkcs8, pos); // version
        skip(pkcs8, pos); // algorithm
        int[] octets = header(pkcs8, pos);
        return java.util.Arrays.copyOfRange(pkcs8, octets[1], octets[1] + octets[2]);
    }

    /** A SEC1 key with {@code [0] prime256v1} added after the private key octets. */
    static byte[] withCurve(byte[] sec1) {
        int[] pos = {0};
        int[] seq = header(sec1, pos);
        byte[] content = java.util.Arrays.copyOfRange(sec1, seq[1], seq[1] + seq[2]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] inner = {0};
        skip(content, inner); // version
        skip(content, inner); // private key
        body.write(content, 0, inner[0]);
        byte[] curve = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
        body.write(0xa0);
        body.write(curve.length);
        body.writeBytes(curve);
        body.write(content, inner[0], content.length - inner[0]);
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (content.length < 0x80) {
            out.write(content.length);
        } else if (content.length < 0x100) {
            out.write(0x81);
            out.write(content.length);
        } else {
            out.write(0x82);
            out.write(content.length >> 8);
            out.write(content.length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** Reads a header at pos: returns {tag, content start, content length} and leaves pos at the content. */
    private static int[] header(byte[] der, int[] pos) {
        int tag = der[pos[0]++] & 0xff;
        int length = der[pos[0]++] & 0xff;
        if (length >= 0x80) {
            int count = length & 0x7f;
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der[pos[0]++] & 0xff);
            }
        }
        return new int[] {tag, pos[0], length};
    }

    private static void skip(byte[] der, int[] pos) {
        int[] h = header(der, pos);
        pos[0] = h[1] + h[2];
    }

    /** Everything as a chain for trust stores. */
    public Certificate[] all() {
        return new Certificate[] {rsaCertificate, ecCertificate, ca};
    }
}
