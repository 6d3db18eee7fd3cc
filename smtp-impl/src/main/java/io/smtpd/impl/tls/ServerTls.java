package io.smtpd.impl.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpd.server.ServerSettings.TlsSettings;

/**
 * The server side of TLS for one certificate: an {@link SSLContext} built from PEM files, and the policy every
 * engine gets: TLS 1.3 and 1.2 only, forward-secret AEAD cipher suites in the server's order of preference, no client
 * certificate requested, client-initiated renegotiation refused ({@link ServerEngine}). Immutable; a
 * configuration change builds a new one, which new sessions use.
 */
public final class ServerTls {
    /** The protocols offered. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    private static final char[] STORE_PASSWORD = "smtpd".toCharArray();

    private final SSLContext context;
    private final String[] protocols;
    private final String[] cipherSuites;

    private ServerTls(SSLContext context) {
        this.context = context;
        SSLParameters defaults = context.getDefaultSSLParameters();
        this.protocols = PROTOCOLS.stream().filter(p -> List.of(context.getSupportedSSLParameters().getProtocols())
                .contains(p)).toArray(String[]::new);
        this.cipherSuites = List.of(defaults.getCipherSuites()).stream().filter(ServerTls::strong)
                .toArray(String[]::new);
    }

    /**
     * Loads the certificate chain and key of {@code settings}.
     *
     * @return {@code null} when {@code settings} is {@code null}
     * @throws IllegalArgumentException naming the file, when a file is missing, unreadable or invalid, or the key
     *                                  does not belong to the certificate
     */
    public static ServerTls load(TlsSettings settings) {
        if (settings == null) {
            return null;
        }
        if (settings.keyStore() != null) {
            return fromKeyStore(settings);
        }
        List<X509Certificate> chain = Pem.certificates(settings.certificate());
        PrivateKey key = Pem.privateKey(settings.privateKey(),
                Pem.namedCurve(chain.get(0).getPublicKey().getEncoded()));
        chain = leafFirst(chain, key, settings);
        warnIfNotValidNow(chain.get(0), settings);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, STORE_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, STORE_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new ServerTls(context);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException(settings.certificate() + ": cannot use this certificate and key ("
                    + e.getMessage() + ")", e);
        }
    }

    private static ServerTls fromKeyStore(TlsSettings settings) {
        char[] password = settings.keyStorePassword().toCharArray();
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(settings.keyStore())) {
            KeyStore store = KeyStore.getInstance(settings.keyStoreType());
            store.load(in, password);
            boolean hasKey = false;
            for (String alias : java.util.Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new IllegalArgumentException(settings.keyStore() + ": the key store holds no private key");
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new ServerTls(context);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException(settings.keyStore() + ": cannot use this key store ("
                    + e.getMessage() + ")", e);
        }
    }

    /** The server's own certificate as the settings name it (health checks read its expiry). */
    public static X509Certificate certificateOf(TlsSettings settings) {
        if (settings.keyStore() == null) {
            List<X509Certificate> chain = Pem.certificates(settings.certificate());
            return chain.stream().filter(c -> c.getBasicConstraints() < 0).findFirst().orElse(chain.get(0));
        }
        char[] password = settings.keyStorePassword().toCharArray();
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(settings.keyStore())) {
            KeyStore store = KeyStore.getInstance(settings.keyStoreType());
            store.load(in, password);
            for (String alias : java.util.Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate) {
                    return (X509Certificate) store.getCertificate(alias);
                }
            }
            throw new IllegalArgumentException("the key store holds no private key with a certificate");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The context (its engines get no policy: use {@link #newEngine()}). */
    public SSLContext context() {
        return context;
    }

    /** A server-mode engine with this policy. */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        parameters.setCipherSuites(cipherSuites);
        parameters.setUseCipherSuitesOrder(true);
        parameters.setNeedClientAuth(false);
        parameters.setWantClientAuth(false);
        engine.setSSLParameters(parameters);
        return new ServerEngine(engine);
    }

    /** The protocols an engine offers. */
    public List<String> protocols() {
        return List.of(protocols);
    }

    /** The cipher suites an engine offers, most preferred first. */
    public List<String> cipherSuites() {
        return List.of(cipherSuites);
    }

    /** TLS 1.3 suites, and TLS 1.2 suites with an ephemeral key exchange and an AEAD cipher. */
    static boolean strong(String suite) {
        String s = suite.toUpperCase(Locale.ROOT);
        if (s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_")) {
            return true;
        }
        boolean ephemeral = s.startsWith("TLS_ECDHE_") || s.startsWith("TLS_DHE_");
        boolean aead = s.contains("_GCM_") || s.contains("_CHACHA20_POLY1305");
        return ephemeral && aead;
    }

    /**
     * The chain as TLS sends it: the certificate of {@code key} first, then each one's issuer from the file, in
     * whatever order the file lists them. Certificates that are not part of that chain are left out (with a warning).
     */
    private static List<X509Certificate> leafFirst(List<X509Certificate> certificates, PrivateKey key,
                                                   TlsSettings settings) {
        X509Certificate leaf = certificates.stream().filter(c -> matches(key, c)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(settings.privateKey() + ": the private key does "
                        + "not belong to the certificate in " + settings.certificate()));
        List<X509Certificate> rest = new ArrayList<>(certificates);
        rest.remove(leaf);
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        X509Certificate current = leaf;
        while (!current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
            X509Certificate issuer = null;
            for (X509Certificate candidate : rest) {
                if (candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                    issuer = candidate;
                    break;
                }
            }
            if (issuer == null) {
                break;
            }
            rest.remove(issuer);
            chain.add(issuer);
            current = issuer;
        }
        if (!rest.isEmpty()) {
            LOG.warn("{}: {} certificate(s) not in the chain of the server's certificate are left out",
                    settings.certificate(), rest.size());
        }
        return chain;
    }

    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm());
        }
        byte[] probe = "smtpd key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void warnIfNotValidNow(X509Certificate certificate, TlsSettings settings) {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            LOG.warn("{}: the certificate is not valid now ({})", settings.certificate(), e.getMessage());
        }
    }
}
