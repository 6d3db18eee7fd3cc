package io.smtpd.api.auth;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A SASL mechanism for AUTH (RFC 4954): aiosmtpd's {@code auth_<NAME>} methods. In OSGi it is a whiteboard service
 * carrying its name in the service property {@link #MECHANISM}; in plain Java it is added to the server builder.
 * The server checks the command (EHLO first, TLS, not authenticated yet, no transaction), calls the AUTH hook, decodes
 * the initial response, then hands the exchange over to the mechanism.
 *
 * <pre>{@code
 * @Component(service = AuthMechanism.class, property = AuthMechanism.MECHANISM + "=XTOKEN")
 * public final class TokenMechanism implements AuthMechanism {
 *     public String name() {
 *         return "XTOKEN";
 *     }
 *
 *     public CompletionStage<AuthResult> authenticate(AuthExchange exchange, byte[] initialResponse) {
 *         CompletionStage<byte[]> token = initialResponse != null ? CompletableFuture.completedFuture(initialResponse)
 *                 : exchange.challenge(new byte[0]);
 *         return token.thenApply(t -> exchange.authenticate(name(), new String(t, UTF_8)));
 *     }
 * }
 * }</pre>
 */
@ConsumerType
public interface AuthMechanism {
    /** Service property: the mechanism's name as EHLO advertises it, for example {@code XOAUTH2}. */
    String MECHANISM = "smtp.auth.mechanism";

    /** The mechanism's name (upper case, as in EHLO); the service property {@link #MECHANISM} wins when both are set. */
    String name();

    /**
     * Runs one AUTH exchange.
     *
     * @param exchange        sends challenges, reads responses, checks credentials
     * @param initialResponse the decoded initial response ({@code =} gives an empty array), or {@code null} when the
     *                        client sent none
     * @return the outcome: on success the server answers {@code 235} (or {@link AuthResult#reply()}) and marks the
     *     session authenticated; on failure it answers {@code 535} (or the result's reply) and counts a failed attempt.
     *     A stage failing with a {@link java.util.concurrent.CancellationException} from
     *     {@link AuthExchange#challenge} means the server has answered already.
     */
    CompletionStage<AuthResult> authenticate(AuthExchange exchange, byte[] initialResponse);
}
