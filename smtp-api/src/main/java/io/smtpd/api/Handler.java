package io.smtpd.api;

import java.util.List;

import io.smtpd.api.proxy.ProxyData;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The hooks that shape a server's behaviour: aiosmtpd's {@code handle_VERB} methods. Every hook is optional;
 * the default, {@link HookResult#proceed()}, keeps the server's own behaviour (aiosmtpd's "hook missing").
 *
 * <p>Hooks run on the connection's I/O thread. A hook that blocks (disk, network) must hand its work to an
 * executor and return {@link HookResult#later}; the server then stops reading from that client until the stage
 * completes. A hook may throw {@link io.smtpd.api.reply.SmtpRejectException} to answer with its reply; any other
 * exception goes to {@link #handleException}.
 *
 * <p>In OSGi, register a handler as a service of this interface with the property {@link #NAME}; a server picks
 * its handler with a filter from its configuration, and the highest {@code service.ranking} wins.
 */
@ConsumerType
public interface Handler {
    /** Service property: the handler's name, which a server's {@code handler} setting selects. */
    String NAME = "smtp.handler.name";

    /** HELO. Default: remember the name and answer {@code 250 <server hostname>}. */
    default HookResult handleHelo(Session session, Envelope envelope, String hostname) {
        return HookResult.proceed();
    }

    /**
     * EHLO. {@code responses} holds the text of each line of the reply the server is about to send (its host
     * name, then the keywords, {@code HELP} last); the hook may edit the list in place and proceed, or answer
     * something else. Default: remember the name and send the lines.
     */
    default HookResult handleEhlo(Session session, Envelope envelope, String hostname, List<String> responses) {
        return HookResult.proceed();
    }

    /** LHLO (LMTP), with the same meaning as {@link #handleEhlo}. */
    default HookResult handleLhlo(Session session, Envelope envelope, String hostname, List<String> responses) {
        return handleEhlo(session, envelope, hostname, responses);
    }

    /** MAIL FROM, after the server checked its syntax and parameters. Default: record it, {@code 250 OK}. */
    default HookResult handleMail(Session session, Envelope envelope, String address, List<String> options) {
        return HookResult.proceed();
    }

    /** RCPT TO, after the server checked its syntax. Default: record it, {@code 250 OK}. */
    default HookResult handleRcpt(Session session, Envelope envelope, String address, List<String> options) {
        return HookResult.proceed();
    }

    /**
     * The end of DATA, with the content on the envelope. Default: {@code 250 OK} (the message is dropped).
     * With LMTP one reply is sent per accepted recipient, in RCPT order: a single verdict applies to each, and
     * {@link HookResult#replies} or {@link HookResult#laterReplies} give one verdict per recipient.
     */
    default HookResult handleData(Session session, Envelope envelope) {
        return HookResult.proceed();
    }

    /** RSET, after the server cleared the transaction. Default: {@code 250 OK}. */
    default HookResult handleRset(Session session, Envelope envelope) {
        return HookResult.proceed();
    }

    /** NOOP, with its argument or {@code null}. Default: {@code 250 OK}. */
    default HookResult handleNoop(Session session, Envelope envelope, String argument) {
        return HookResult.proceed();
    }

    /** QUIT. Default: {@code 221 Bye}; the connection closes after the reply either way. */
    default HookResult handleQuit(Session session, Envelope envelope) {
        return HookResult.proceed();
    }

    /** VRFY with a parsable address. Default: {@code 252 Cannot VRFY user, ...}. */
    default HookResult handleVrfy(Session session, Envelope envelope, String address) {
        return HookResult.proceed();
    }

    /**
     * AUTH, with the command's arguments (mechanism first), before the mechanism runs. Default: run the
     * mechanism. A reply here answers the command instead.
     */
    default HookResult handleAuth(Session session, Envelope envelope, List<String> arguments) {
        return HookResult.proceed();
    }

    /**
     * After a successful TLS handshake (STARTTLS). Default: accept. {@link HookResult#deny()} makes every later
     * command but QUIT fail with {@code 554 Command refused due to lack of security}.
     */
    default HookResult handleStartTls(Session session, Envelope envelope) {
        return HookResult.proceed();
    }

    /**
     * After a valid PROXY protocol header, before the greeting; {@link Session#proxyData()} holds it already.
     * Default: accept (aiosmtpd closes the connection when the hook is missing; here a server with the PROXY
     * protocol on works without a handler that knows of it). {@link HookResult#deny()}, or an exception, closes the
     * connection without a reply; any other result lets the session go on to its greeting. The hook cannot answer
     * the client. It may take its time ({@link HookResult#later}), within the PROXY protocol timeout.
     */
    default HookResult handleProxy(Session session, Envelope envelope, ProxyData proxyData) {
        return HookResult.proceed();
    }

    /**
     * A hook, or the server while running a command, threw {@code error}. Default: {@code 500 Error:
     * (ExceptionClass) message}. The session goes on.
     */
    default HookResult handleException(Session session, Throwable error) {
        return HookResult.proceed();
    }
}
