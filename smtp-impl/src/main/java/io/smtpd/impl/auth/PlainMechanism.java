package io.smtpd.impl.auth;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.smtpd.api.auth.AuthExchange;
import io.smtpd.api.auth.AuthMechanism;
import io.smtpd.api.auth.AuthResult;
import io.smtpd.api.auth.LoginPassword;
import io.smtpd.api.reply.Replies;

/**
 * SASL PLAIN (RFC 4616): {@code authzid NUL authcid NUL passwd}, as an initial response or after an empty
 * challenge. An authorization identity equal to the login counts as none; another one reaches the authenticator
 * only when it allows proxy authorization.
 */
public final class PlainMechanism implements AuthMechanism {
    public static final String NAME = "PLAIN";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthExchange exchange, byte[] initialResponse) {
        CompletionStage<byte[]> response = initialResponse != null
                ? CompletableFuture.completedFuture(initialResponse) : exchange.challenge(new byte[0]);
        return response.thenApply(message -> check(exchange, message));
    }

    private static AuthResult check(AuthExchange exchange, byte[] message) {
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (second < 0 || indexOf(message, second + 1) >= 0) {
            return new AuthResult(false, null, Replies.S501_AUTH_CANT_SPLIT);
        }
        byte[] authorizationId = Arrays.copyOfRange(message, 0, first);
        byte[] login = Arrays.copyOfRange(message, first + 1, second);
        byte[] password = Arrays.copyOfRange(message, second + 1, message.length);
        if (Arrays.equals(authorizationId, login)) {
            authorizationId = new byte[0];
        }
        return exchange.authenticate(NAME, new LoginPassword(login, password, authorizationId));
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
