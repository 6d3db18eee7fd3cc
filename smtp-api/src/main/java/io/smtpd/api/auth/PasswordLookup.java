package io.smtpd.api.auth;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An optional capability of an {@link Authenticator}: the shared secret of a login, which challenge-response
 * mechanisms such as CRAM-MD5 need, since the client never sends the password itself. An authenticator that does not
 * implement it cannot serve those mechanisms (they are then not offered).
 */
@ConsumerType
public interface PasswordLookup {
    /** The password of {@code login} (compared case-sensitively), or empty when there is no such login. */
    Optional<byte[]> password(String login);
}
