package io.smtpd.api.auth;

import io.smtpd.api.reply.Reply;

/**
 * What an authenticator decided (aiosmtpd's {@code AuthResult}).
 *
 * @param success  whether the credentials are good
 * @param authData what to keep on the session on success (for example the login); never logged
 * @param reply    the reply to send instead of the default {@code 235}/{@code 535}, or {@code null}
 */
public record AuthResult(boolean success, Object authData, Reply reply) {

    public static AuthResult success(Object authData) {
        return new AuthResult(true, authData, null);
    }

    public static AuthResult failure() {
        return new AuthResult(false, null, null);
    }

    @Override
    public String toString() {
        return "AuthResult[success=" + success + "]";
    }
}
