package io.smtpd.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smtpd.api.auth.AuthResult;
import io.smtpd.api.auth.LoginPassword;
import io.smtpd.impl.auth.FileAuthenticator;
import io.smtpd.impl.server.ServerRuntime;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.TestServers;

/** The {@code --auth-file} authenticator: the file format and the checks. */
class FileAuthenticatorTest {
    @TempDir
    Path dir;

    private static AuthResult check(FileAuthenticator users, String login, String password) {
        return users.authenticate(null, null, "PLAIN", new LoginPassword(login.getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsUsersSplitAtTheFirstColonSkippingBlankAndCommentLines() {
        FileAuthenticator users = FileAuthenticator.load(AuthFixture.authFile());
        assertEquals(4, users.size());
        AuthResult ok = check(users, "alice", "s3cret:with:colons");
        assertTrue(ok.success());
        assertEquals("alice", ok.authData());
        assertTrue(check(users, "Bob", "pw").success()); // the line ended in CRLF before it
        assertTrue(check(users, "carol", "").success());
        assertTrue(check(users, "d\u00e9si", "m\u00f8t de passe").success());
    }

    @Test
    void namesAreCaseSensitiveAndPasswordsExact() {
        FileAuthenticator users = FileAuthenticator.load(AuthFixture.authFile());
        assertFalse(check(users, "Alice", "s3cret:with:colons").success());
        assertFalse(check(users, "alice", "s3cret:with:colons ").success());
        assertFalse(check(users, "alice", "s3cret").success());
        assertFalse(check(users, "# test users", "").success());
        assertFalse(check(users, "nobody", "").success());
        assertFalse(users.authenticate(null, null, "XTOKEN", "alice").success());
    }

    @Test
    void looksPasswordsUpForChallengeResponseMechanisms() {
        FileAuthenticator users = FileAuthenticator.load(AuthFixture.authFile());
        assertEquals("pw", new String(users.password("Bob").orElseThrow(), StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), users.password("bob"));
    }

    @Test
    void aMissingFileFailsNamingIt() {
        Path missing = dir.resolve("users.txt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FileAuthenticator.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        ServerSettings settings = TestServers.settings().authFile(missing).build();
        assertThrows(IllegalArgumentException.class, () -> ServerRuntime.authenticatorFor(settings));
        assertThrows(IllegalArgumentException.class, () -> SmtpServer.builder().settings(settings).build());
    }

    @Test
    void aLineWithoutColonFailsWithItsNumberButNotItsContent() throws IOException {
        Path file = dir.resolve("users.txt");
        Files.writeString(file, "alice:pw\n\nhunter2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileAuthenticator.load(file));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8Fails() throws IOException {
        Path file = dir.resolve("users.txt");
        Files.write(file, new byte[] {'a', ':', (byte) 0xff, '\n'});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FileAuthenticator.load(file)).getMessage()
                .contains("UTF-8"));
    }

    @Test
    void aByteOrderMarkIsIgnored() throws IOException {
        Path file = dir.resolve("users.txt");
        Files.writeString(file, "\uFEFFalice:pw\n", StandardCharsets.UTF_8);
        assertTrue(check(FileAuthenticator.load(file), "alice", "pw").success());
    }

    @Test
    void theServerReadsTheFileAtStart() {
        ServerSettings settings = TestServers.settings().authFile(AuthFixture.authFile()).build();
        assertInstanceOf(FileAuthenticator.class, ServerRuntime.authenticatorFor(settings));
        assertEquals(null, ServerRuntime.authenticatorFor(TestServers.settings().build()));
    }
}
