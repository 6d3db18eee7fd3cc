/**
 * aiosmtpd's built-in handlers: {@link io.smtpd.handlers.Sink}, {@link io.smtpd.handlers.Debugging},
 * {@link io.smtpd.handlers.Mailbox} (a Maildir) and {@link io.smtpd.handlers.Proxy} (a relay), and
 * {@link io.smtpd.handlers.BuiltinHandlers#fromSpec} for the command line's {@code -c SPEC}. Handlers that block
 * (disk, network) do so on {@link io.smtpd.handlers.HandlerExecutors}, never on the server's I/O threads.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.smtpd.handlers;
