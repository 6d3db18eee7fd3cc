package io.smtpd.api.auth;

import java.util.Arrays;

/**
 * A login and password as the PLAIN and LOGIN mechanisms received them (raw bytes, usually UTF-8). Its
 * {@link #toString()} never shows the password.
 */
public final class LoginPassword {
    private final byte[] login;
    private final byte[] password;

    public LoginPassword(byte[] login, byte[] password) {
        this.login = login.clone();
        this.password = password.clone();
    }

    public byte[] login() {
        return login.clone();
    }

    public byte[] password() {
        return password.clone();
    }

    /** The login decoded as UTF-8. */
    public String loginString() {
        return new String(login, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Compares the password in time independent of where the first difference is. */
    public boolean passwordEquals(byte[] expected) {
        return java.security.MessageDigest.isEqual(password, expected);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoginPassword && Arrays.equals(login, ((LoginPassword) o).login)
                && Arrays.equals(password, ((LoginPassword) o).password);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(login);
    }

    @Override
    public String toString() {
        return "LoginPassword(login='" + loginString() + "', password=...)";
    }
}
