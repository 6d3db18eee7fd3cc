package io.smtpd.handlers;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.reply.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays each message to an upstream SMTP server with the same envelope, as aiosmtpd's {@code Proxy} handler does,
 * with {@code X-Peer: <client ip>} added at the end of the header block. Lines are sent with CRLF (a bare CR or LF
 * becomes CRLF, RFC 5321 2.3.8) and dot-stuffed.
 *
 * <p>The client gets the upstream's verdict: its reply to the end of DATA, or its refusal of DATA, of the sender
 * or of every recipient. When the upstream is down, refuses the connection, does not answer within the timeout,
 * or cannot take mail now (a failed greeting or EHLO, a 4xx to MAIL, a 421), the client gets
 * {@code 451 4.4.1 Error: upstream unavailable}: never a 250 the upstream did not give. Unlike aiosmtpd, which
 * answers 250 whatever happened, no message is lost silently; only recipients the upstream refused while it took
 * others are (logged, and with LMTP each recipient gets its own reply).
 *
 * <p>The conversation runs on an executor, so a slow upstream holds a worker, never the server's I/O thread.
 */
public final class Proxy implements Handler {
    /** Connect and read timeout unless given another. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Reply UPSTREAM_UNAVAILABLE = Reply.parse("451 4.4.1 Error: upstream unavailable");
    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);

    private final String host;
    private final int port;
    private final Duration timeout;
    private final Executor executor;

    /** Relays to {@code host:port} with the {@link #DEFAULT_TIMEOUT}, on {@link HandlerExecutors#shared()}. */
    public Proxy(String host, int port) {
        this(host, port, DEFAULT_TIMEOUT);
    }

    /** Relays to {@code host:port}; {@code timeout} bounds connecting and each read and write. */
    public Proxy(String host, int port, Duration timeout) {
        this(host, port, timeout, HandlerExecutors.shared());
    }

    /** Relays to {@code host:port}, talking to it on {@code executor}. */
    public Proxy(String host, int port, Duration timeout, Executor executor) {
        this.host = Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.port = port;
        this.timeout = timeout;
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public HookResult handleData(Session session, Envelope envelope) {
        // Read the session and the envelope here, on the hook's thread; the worker sees only these values.
        String heloName = session.serverHostname() == null ? "localhost" : session.serverHostname();
        RelayTransaction.Message message = new RelayTransaction.Message(envelope.mailFrom(),
                List.copyOf(envelope.rcptTos()), List.copyOf(envelope.mailOptions()), envelope.smtpUtf8(),
                Content.of(envelope), ClientIp.of(session), heloName);
        boolean lmtp = session.lmtp();
        return Offload.run(executor, UPSTREAM_UNAVAILABLE, LOG, result -> relay(message, lmtp, result));
    }

    private void relay(RelayTransaction.Message message, boolean lmtp, CompletableFuture<HookResult> result) {
        try (UpstreamConnection upstream = UpstreamConnection.open(host, port, timeout)) {
            RelayTransaction.Outcome outcome = new RelayTransaction(upstream, message).run();
            LOG.debug("Upstream {}:{} answered {}", host, port, outcome.verdict());
            result.complete(lmtp && !outcome.perRecipient().isEmpty()
                    ? HookResult.replies(outcome.perRecipient())
                    : HookResult.reply(outcome.verdict()));
            upstream.quit(); // after the client has its answer
        } catch (IOException e) {
            LOG.warn("Relay to {}:{} failed: {}", host, port, e.toString());
            result.complete(HookResult.reply(UPSTREAM_UNAVAILABLE));
        }
    }

    @Override
    public String toString() {
        return "Proxy[" + host + ":" + port + "]";
    }
}
