package io.smtpd.api.auth;

import java.util.concurrent.CompletionStage;

import io.smtpd.api.Envelope;
import io.smtpd.api.Session;
import org.osgi.annotation.versioning.ProviderType;

/** One AUTH exchange as an {@link AuthMechanism} drives it: aiosmtpd's {@code challenge_auth} and {@code _authenticate}. */
@ProviderType
public interface AuthExchange {
    Session session();

    Envelope envelope();

    /** The mechanism name the client asked for, upper case. */
    String mechanism();

    /**
     * Sends {@code 334 <base64 of challenge>} (an empty challenge gives {@code "334 "}) and completes with the client's
     * next line, base64-decoded. When the client cancels with {@code *} or sends something that is not base64, the
     * server answers {@code 501} itself, counts a failed attempt, and the stage fails with a
     * {@link java.util.concurrent.CancellationException}. The client's responses are never logged.
     */
    CompletionStage<byte[]> challenge(byte[] challenge);

    /**
     * Checks credentials with the server's {@link Authenticator} (a failure when there is none). {@code data} is what
     * the authenticator expects; for login-and-password mechanisms a {@link LoginPassword}.
     */
    AuthResult authenticate(String mechanism, Object data);
}
