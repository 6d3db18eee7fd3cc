package io.smtpd.impl.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpd.api.Envelope;
import io.smtpd.api.Session;
import io.smtpd.api.auth.AuthResult;
import io.smtpd.api.auth.Authenticator;
import io.smtpd.api.auth.LoginPassword;
import io.smtpd.api.auth.PasswordLookup;

/**
 * The {@code --auth-file} authenticator: UTF-8 lines {@code user:password} split at the first {@code :}, blank lines
 * and lines starting with {@code #} ignored, names case-sensitive. Read once, when the server starts or is
 * reconfigured. Passwords are compared in constant time (as SHA-256 digests, so the length does not leak either).
 * Success carries the login as auth data. Nothing of the file's content is ever logged.
 */
public final class FileAuthenticator implements Authenticator, PasswordLookup {
    private static final Logger LOG = LoggerFactory.getLogger(FileAuthenticator.class);
    private static final byte[] NO_PASSWORD_DIGEST = sha256(new byte[] {0});

    private final Map<String, byte[]> passwords;

    private FileAuthenticator(Map<String, byte[]> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read, is not UTF-8, or has a line without
     *                                  {@code :} (the message gives the line number, never its content)
     */
    public static FileAuthenticator load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("auth file " + file + ": cannot read it (" + e + ")", e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("auth file " + file + ": not UTF-8");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Map<String, byte[]> passwords = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("auth file " + file + ": line " + (i + 1)
                        + " is not user:password");
            }
            if (passwords.put(line.substring(0, colon), line.substring(colon + 1).getBytes(StandardCharsets.UTF_8))
                    != null) {
                LOG.warn("auth file {}: line {} repeats a user name; the later line wins", file, i + 1);
            }
        }
        if (passwords.isEmpty()) {
            LOG.warn("auth file {} has no users: every AUTH attempt will fail", file);
        }
        return new FileAuthenticator(passwords);
    }

    /** Builds one from a map of user names to passwords (for tests and embedding). */
    public static FileAuthenticator of(Map<String, String> users) {
        Map<String, byte[]> passwords = new HashMap<>();
        users.forEach((user, password) -> passwords.put(user, password.getBytes(StandardCharsets.UTF_8)));
        return new FileAuthenticator(passwords);
    }

    @Override
    public AuthResult authenticate(Session session, Envelope envelope, String mechanism, Object data) {
        if (!(data instanceof LoginPassword)) {
            return AuthResult.failure();
        }
        LoginPassword credentials = (LoginPassword) data;
        String login = credentials.loginString();
        byte[] expected = passwords.get(login);
        byte[] given = sha256(credentials.password());
        boolean same = MessageDigest.isEqual(given, expected == null ? NO_PASSWORD_DIGEST : sha256(expected));
        return same && expected != null ? AuthResult.success(login) : AuthResult.failure();
    }

    @Override
    public Optional<byte[]> password(String login) {
        byte[] password = passwords.get(login);
        return password == null ? Optional.empty() : Optional.of(password.clone());
    }

    /** How many users the file has. */
    public int size() {
        return passwords.size();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "FileAuthenticator[" + passwords.size() + " users]";
    }
}
