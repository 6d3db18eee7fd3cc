package io.smtpd.api.auth;

import java.util.Arrays;

/**
 * A login and password as the PLAIN and LOGIN mechanisms received them (raw bytes, usually UTF-8), with PLAIN's
 * authorization identity when it names someone else than the login. Its {@link #toString()} never shows the password.
 */
public final class LoginPassword {
    private static final byte[] NONE = new byte[0];

    private final byte[] login;
    private final byte[] password;
    private final byte[] authorizationId;

    public LoginPassword(byte[] login, byte[] password) {
        this(login, password, NONE);
    }

    /** @param authorizationId PLAIN's authorization identity; empty when the client asked for none */
    public LoginPassword(byte[] login, byte[] password, byte[] authorizationId) {
        this.login = login.clone();
        this.password = password.clone();
        this.authorizationId = authorizationId.clone();
    }

    public byte[] login() {
        return login.clone();
    }

    public byte[] password() {
        return password.clone();
    }

    /**
     * The identity to act as (RFC 4616 authzid), empty when none was asked for or it equals the login. Only an
     * authenticator that {@linkplain Authenticator#allowsProxyAuthorization() allows proxy authorization} sees a
     * non-empty one.
     */
    public byte[] authorizationId() {
        return authorizationId.clone();
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
                && Arrays.equals(password, ((LoginPassword) o).password)
                && Arrays.equals(authorizationId, ((LoginPassword) o).authorizationId);
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
