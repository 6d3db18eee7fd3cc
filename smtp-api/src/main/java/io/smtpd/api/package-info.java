/**
 * The handler API: the hooks a server calls ({@link io.smtpd.api.Handler}), the connection and transaction
 * state they see ({@link io.smtpd.api.Session}, {@link io.smtpd.api.Envelope}) and what they answer
 * ({@link io.smtpd.api.HookResult}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.smtpd.api;
