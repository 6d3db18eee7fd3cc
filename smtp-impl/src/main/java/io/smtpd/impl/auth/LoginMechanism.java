package io.smtpd.impl.auth;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.smtpd.api.auth.AuthExchange;
import io.smtpd.api.auth.AuthMechanism;
import io.smtpd.api.auth.AuthResult;
import io.smtpd.api.auth.LoginPassword;

/**
 * The LOGIN mechanism (draft-murchison-sasl-login), as aiosmtpd: the user name (initial response, or the answer to
 * {@code User Name\0}), then the password (the answer to {@code Password\0}).
 */
public final class LoginMechanism implements AuthMechanism {
    public static final String NAME = "LOGIN";
    static final byte[] USER_NAME = "User Name\0".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PASSWORD = "Password\0".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthExchange exchange, byte[] initialResponse) {
        CompletionStage<byte[]> login = initialResponse != null
                ? CompletableFuture.completedFuture(initialResponse) : exchange.challenge(USER_NAME);
        return login.thenCompose(user -> exchange.challenge(PASSWORD)
                .thenApply(password -> exchange.authenticate(NAME, new LoginPassword(user, password))));
    }
}
