/**
 * Authentication (RFC 4954): the authenticator service, custom SASL mechanisms ({@link io.smtpd.api.auth.AuthMechanism},
 * a whiteboard SPI) and their value types.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.smtpd.api.auth;
