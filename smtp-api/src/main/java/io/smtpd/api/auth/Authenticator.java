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
}
