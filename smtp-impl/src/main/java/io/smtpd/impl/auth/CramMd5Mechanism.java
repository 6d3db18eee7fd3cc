package io.smtpd.impl.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.smtpd.api.auth.AuthExchange;
import io.smtpd.api.auth.AuthMechanism;
import io.smtpd.api.auth.AuthResult;
import io.smtpd.api.auth.PasswordLookup;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;

/**
 * CRAM-MD5 (RFC 2195): the server sends a unique challenge, the client answers {@code user HMAC-MD5(password,
 * challenge)} in hex. It needs the password itself, so it works only with an authenticator that is a
 * {@link PasswordLookup} (the auth file is), and it is off unless the settings enable it: MD5 is weak, and the
 * mechanism requires passwords stored in the clear. The authenticator's {@code authenticate} is not called; success
 * carries the login as auth data.
 */
public final class CramMd5Mechanism implements AuthMechanism {
    public static final String NAME = "CRAM-MD5";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Reply NO_INITIAL_RESPONSE =
            Reply.parse("501 5.5.2 CRAM-MD5 does not take an initial response");

    private final PasswordLookup passwords;

    public CramMd5Mechanism(PasswordLookup passwords) {
        this.passwords = passwords;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthExchange exchange, byte[] initialResponse) {
        if (initialResponse != null) {
            return CompletableFuture.completedFuture(new AuthResult(false, null, NO_INITIAL_RESPONSE));
        }
        byte[] challenge = ("<" + Long.toUnsignedString(RANDOM.nextLong(), 36) + "." + System.currentTimeMillis()
                + "@" + exchange.session().serverHostname() + ">").getBytes(StandardCharsets.US_ASCII);
        return exchange.challenge(challenge).thenApply(response -> check(challenge, response));
    }

    private AuthResult check(byte[] challenge, byte[] response) {
        String text = new String(response, StandardCharsets.UTF_8);
        int space = text.lastIndexOf(' ');
        if (space <= 0) {
            return new AuthResult(false, null, Replies.S501_AUTH_CANT_SPLIT);
        }
        String login = text.substring(0, space);
        byte[] digest = text.substring(space + 1).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        Optional<byte[]> password = passwords.password(login);
        byte[] expected = hmacHex(password.orElse(new byte[0]), challenge);
        boolean same = MessageDigest.isEqual(expected, digest);
        return same && password.isPresent() ? AuthResult.success(login) : AuthResult.failure();
    }

    static byte[] hmacHex(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacMD5"));
            return HexFormat.of().formatHex(mac.doFinal(message)).getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 is not available", e);
        }
    }
}
