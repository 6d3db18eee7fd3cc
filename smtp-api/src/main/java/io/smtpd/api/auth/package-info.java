/**
 * Authentication (RFC 4954): the authenticator service and its value types.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.smtpd.api.auth;
