package io.smtpd.impl.auth;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.smtpd.api.auth.AuthMechanism;
import io.smtpd.api.auth.Authenticator;
import io.smtpd.api.auth.PasswordLookup;
import io.smtpd.server.ServerSettings;

/**
 * The SASL mechanisms a server offers, as aiosmtpd's {@code _auth_methods}: the built-in PLAIN and LOGIN, CRAM-MD5
 * when the settings enable it and the authenticator can look passwords up, custom mechanisms (whiteboard services,
 * which may replace a built-in of the same name), minus the settings' exclude list.
 */
public final class AuthMechanisms {
    private static final AuthMechanism PLAIN = new PlainMechanism();
    private static final AuthMechanism LOGIN = new LoginMechanism();

    private AuthMechanisms() {
    }

    /**
     * The mechanisms by upper-case name, sorted.
     *
     * @param custom custom mechanisms by name
     */
    public static SortedMap<String, AuthMechanism> available(ServerSettings settings, Authenticator authenticator,
                                                             Map<String, AuthMechanism> custom) {
        SortedMap<String, AuthMechanism> mechanisms = new TreeMap<>();
        mechanisms.put(PlainMechanism.NAME, PLAIN);
        mechanisms.put(LoginMechanism.NAME, LOGIN);
        if (settings.authCramMd5() && authenticator instanceof PasswordLookup) {
            mechanisms.put(CramMd5Mechanism.NAME, new CramMd5Mechanism((PasswordLookup) authenticator));
        }
        custom.forEach((name, mechanism) -> mechanisms.put(name.toUpperCase(Locale.ROOT), mechanism));
        for (String excluded : settings.authExclude()) {
            mechanisms.remove(excluded.toUpperCase(Locale.ROOT));
        }
        return Collections.unmodifiableSortedMap(mechanisms);
    }

    /**
     * The EHLO keyword line ({@code AUTH LOGIN PLAIN}), or {@code null} when AUTH is not offered: nothing to check
     * credentials with (no authenticator and no custom mechanism), no mechanism left, or a plaintext channel while
     * AUTH requires TLS.
     */
    public static String advertisement(ServerSettings settings, boolean tls, Authenticator authenticator,
                                       Map<String, AuthMechanism> custom) {
        if ((authenticator == null && custom.isEmpty()) || (settings.authRequireTls() && !tls)) {
            return null;
        }
        SortedMap<String, AuthMechanism> mechanisms = available(settings, authenticator, custom);
        return mechanisms.isEmpty() ? null : "AUTH " + String.join(" ", mechanisms.keySet());
    }
}
