package io.smtpd.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** The users of the AUTH tests, as an auth file, and base64 helpers. */
final class AuthFixture {
    static final String USERS = "# test users\n\nalice:s3cret:with:colons\r\nBob:pw\n  # indented comment\n"
            + "carol:\nd\u00e9si:m\u00f8t de passe\n";

    private AuthFixture() {
    }

    static Path authFile() {
        try {
            Path file = Files.createTempFile("smtpd-users", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, USERS, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String plain(String authzid, String login, String password) {
        return b64(authzid + "\0" + login + "\0" + password);
    }
}
