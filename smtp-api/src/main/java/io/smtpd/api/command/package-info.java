/**
 * Custom SMTP commands, aiosmtpd's {@code smtp_VERB} methods, as whiteboard services.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.smtpd.api.command;
