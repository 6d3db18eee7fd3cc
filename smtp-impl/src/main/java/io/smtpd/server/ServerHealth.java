package io.smtpd.server;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * The health of one server ({@link RunningServer#health(int)}): the listener bound, a handler present, the TLS
 * certificates valid for a while yet.
 *
 * @param server         the server's name
 * @param status         {@link Status#DOWN} when not bound or a certificate has expired; {@link Status#WARN} when no
 *                       handler is available or a certificate expires within the threshold; else {@link Status#UP}
 * @param bound          whether the listener is bound
 * @param address        the bound address, or {@code null}
 * @param handlerPresent whether a handler is available for new transactions
 * @param certificates   the TLS certificates in use (STARTTLS, implicit TLS), empty without TLS
 * @param problems       what made the status other than UP, in words
 */
public record ServerHealth(String server, Status status, boolean bound, InetSocketAddress address,
                           boolean handlerPresent, List<CertificateExpiry> certificates, List<String> problems) {
    /** Days of certificate validity under which the status is {@link Status#WARN}, unless asked otherwise. */
    public static final int DEFAULT_WARN_DAYS = 14;

    public enum Status { UP, WARN, DOWN }

    /**
     * @param use      {@code starttls} or {@code implicit-tls}
     * @param subject  the leaf certificate's subject
     * @param notAfter its expiry
     * @param daysLeft whole days until then (negative when expired)
     */
    public record CertificateExpiry(String use, String subject, Instant notAfter, long daysLeft) {
    }

    public boolean isUp() {
        return status == Status.UP;
    }
}
