/**
 * SMTP replies as values: {@link io.smtpd.api.reply.Reply}, the catalogue of standard replies and the exception that carries one.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.smtpd.api.reply;
