package io.smtpd.impl.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Reads PEM files: certificate chains, and private keys as PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}); the last two are wrapped into PKCS#8 for the JDK's key
 * factories. Encrypted keys are refused with a clear message. Every problem is an {@link IllegalArgumentException}
 * naming the file.
 */
public final class Pem {
    static final String RSA_OID = "1.2.840.113549.1.1.1";
    static final String EC_OID = "1.2.840.10045.2.1";
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            RSA_OID, "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            EC_OID, "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448",
            "1.2.840.10040.4.1", "DSA");

    private Pem() {
    }

    /** One {@code -----BEGIN type-----} block. */
    record Block(String type, byte[] der, boolean encrypted) {
    }

    /** The certificates of {@code file}, in file order (the server's own first, then its chain). */
    public static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        for (Block block : blocks(file)) {
            if (block.type().equals("CERTIFICATE") || block.type().equals("X509 CERTIFICATE")
                    || block.type().equals("TRUSTED CERTIFICATE")) {
                try {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                } catch (CertificateException | ClassCastException e) {
                    throw problem(file, "not a valid X.509 certificate (" + e.getMessage() + ")");
                }
            }
        }
        if (chain.isEmpty()) {
            throw problem(file, "no CERTIFICATE block");
        }
        return chain;
    }

    /**
     * The first private key of {@code file}.
     *
     * @param curveHint the named curve (OID) to assume for a SEC1 key that does not name its own, or {@code null}
     */
    public static PrivateKey privateKey(Path file, String curveHint) {
        for (Block block : blocks(file)) {
            String type = block.type();
            if (!type.equals("PRIVATE KEY") && !type.equals("RSA PRIVATE KEY") && !type.equals("EC PRIVATE KEY")
                    && !type.equals("ENCRYPTED PRIVATE KEY")) {
                continue;
            }
            if (block.encrypted() || type.equals("ENCRYPTED PRIVATE KEY")) {
                throw problem(file, "encrypted private keys are not supported; store the key unencrypted "
                        + "(readable by the server only)");
            }
            try {
                byte[] pkcs8 = switch (type) {
                    case "RSA PRIVATE KEY" -> wrapPkcs1(block.der());
                    case "EC PRIVATE KEY" -> wrapSec1(block.der(), curveHint);
                    default -> block.der();
                };
                return KeyFactory.getInstance(keyAlgorithm(pkcs8)).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw problem(file, "not a valid " + type + " (" + e.getMessage() + ")");
            }
        }
        throw problem(file, "no private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)");
    }

    /** PKCS#1 RSAPrivateKey into PKCS#8 PrivateKeyInfo. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        new Der.Reader(pkcs1).next(Der.SEQUENCE, "RSA private key");
        return privateKeyInfo(Der.tlv(Der.SEQUENCE, Der.oid(RSA_OID), Der.tlv(Der.NULL)), pkcs1);
    }

    /** SEC1 ECPrivateKey into PKCS#8, with the curve it names, else {@code curveHint}. */
    static byte[] wrapSec1(byte[] sec1, String curveHint) {
        Der.Reader fields = new Der.Reader(sec1).next(Der.SEQUENCE, "EC private key").children();
        fields.next(Der.INTEGER, "EC private key version");
        fields.next(Der.OCTET_STRING, "EC private key");
        String curve = curveHint;
        while (fields.hasNext()) {
            Der.Item item = fields.next();
            if (item.tag() == Der.CONTEXT_0) {
                curve = Der.oidString(item.children().next(Der.OID, "EC curve").content());
            }
        }
        if (curve == null) {
            throw new IllegalArgumentException("the key does not name its curve");
        }
        return privateKeyInfo(Der.tlv(Der.SEQUENCE, Der.oid(EC_OID), Der.oid(curve)), sec1);
    }

    /** The named curve (OID) of an EC public key's SubjectPublicKeyInfo, or {@code null}. */
    static String namedCurve(byte[] subjectPublicKeyInfo) {
        try {
            Der.Reader algorithm = new Der.Reader(subjectPublicKeyInfo).next(Der.SEQUENCE, "key").children()
                    .next(Der.SEQUENCE, "algorithm").children();
            if (!EC_OID.equals(Der.oidString(algorithm.next(Der.OID, "algorithm").content()))) {
                return null;
            }
            return algorithm.hasNext() ? Der.oidString(algorithm.next(Der.OID, "curve").content()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] privateKeyInfo(byte[] algorithmIdentifier, byte[] key) {
        return Der.tlv(Der.SEQUENCE, Der.tlv(Der.INTEGER, new byte[] {0}), algorithmIdentifier,
                Der.tlv(Der.OCTET_STRING, key));
    }

    /** The key factory algorithm of a PKCS#8 PrivateKeyInfo. */
    static String keyAlgorithm(byte[] pkcs8) {
        Der.Reader info = new Der.Reader(pkcs8).next(Der.SEQUENCE, "PKCS#8 key").children();
        info.next(Der.INTEGER, "PKCS#8 version");
        String oid = Der.oidString(info.next(Der.SEQUENCE, "PKCS#8 algorithm").children()
                .next(Der.OID, "PKCS#8 algorithm").content());
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported key algorithm " + oid);
        }
        return algorithm;
    }

    static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw problem(file, "cannot read it (" + e + ")");
        }
        List<Block> blocks = new ArrayList<>();
        String type = null;
        boolean encrypted = false;
        StringBuilder body = new StringBuilder();
        for (String raw : text.split("\r\n|\r|\n")) {
            String line = raw.strip();
            if (type == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                    type = line.substring(11, line.length() - 5).strip();
                    encrypted = false;
                    body.setLength(0);
                }
            } else if (line.startsWith("-----END ")) {
                try {
                    blocks.add(new Block(type, Base64.getMimeDecoder().decode(body.toString()), encrypted));
                } catch (IllegalArgumentException e) {
                    throw problem(file, "bad base64 in a " + type + " block");
                }
                type = null;
            } else if (line.indexOf(':') >= 0) {
                encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
            } else {
                body.append(line);
            }
        }
        if (type != null) {
            throw problem(file, "a " + type + " block has no END line");
        }
        return blocks;
    }

    static IllegalArgumentException problem(Path file, String message) {
        return new IllegalArgumentException(file + ": " + message);
    }
}
