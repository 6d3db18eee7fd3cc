package io.smtpd.api.auth;

import io.smtpd.api.Envelope;
import io.smtpd.api.Session;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Checks credentials: aiosmtpd's {@code authenticator(server, session, envelope, mechanism, auth_data)}. For the
 * built-in PLAIN and LOGIN mechanisms {@code data} is a {@link LoginPassword}.
 */
@ConsumerType
@FunctionalInterface
public interface Authenticator {
    /** Service property: the authenticator's name, which a server's configuration selects. */
    String NAME = "smtp.authenticator.name";

    AuthResult authenticate(Session session, Envelope envelope, String mechanism, Object data);

    /**
     * Whether this authenticator decides AUTH PLAIN requests whose authorization identity differs from the login
     * (RFC 4616 2, proxy authorization): it then receives them with {@link LoginPassword#authorizationId()} set.
     * Default {@code false}: the server refuses them with {@code 535} before asking.
     */
    default boolean allowsProxyAuthorization() {
        return false;
    }
}
