package io.smtpd.impl.command;

import java.util.Base64;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpd.api.Envelope;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.auth.AuthExchange;
import io.smtpd.api.auth.AuthMechanism;
import io.smtpd.api.auth.AuthResult;
import io.smtpd.api.auth.Authenticator;
import io.smtpd.api.auth.LoginPassword;
import io.smtpd.api.command.CommandContext;
import io.smtpd.api.command.LineHandler;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.auth.StrictBase64;
import io.smtpd.impl.protocol.Conversation;

/**
 * One AUTH exchange: aiosmtpd's {@code challenge_auth} loop made event-driven. After each step of the mechanism
 * (its start, each client response, each asynchronous completion) the exchange either finishes ({@code 235}, or a
 * counted failure), sends the challenge the mechanism asked for and waits for the client's line, or waits for the
 * mechanism without reading input. Steps run on the session's serialized context; the mechanism may complete, or
 * ask for a challenge, from any thread. Client responses and credentials are never logged.
 */
final class SaslExchange implements AuthExchange {
    private static final Logger LOG = LoggerFactory.getLogger(SaslExchange.class);

    private final Conversation c;
    private final String mechanism;
    private final Object lock = new Object();
    /** A challenge asked for and not sent yet. */
    private byte[] requested;
    /** The mechanism's wait for the client's response to the challenge sent. */
    private CompletableFuture<byte[]> response;
    private boolean done;
    private AuthResult outcome;
    private Throwable failure;
    /** Completed when the mechanism makes progress while the session waits for it. */
    private CompletableFuture<Void> wake;
    /** Whether the exchange has been answered: nothing more is sent. */
    private volatile boolean finished;

    SaslExchange(Conversation c, String mechanism) {
        this.c = c;
        this.mechanism = mechanism;
    }

    /** Starts {@code auth} with the decoded initial response (or {@code null}). */
    void run(AuthMechanism auth, byte[] initialResponse) {
        CompletionStage<AuthResult> stage = auth.authenticate(this, initialResponse);
        if (stage == null) {
            throw new IllegalStateException("AUTH mechanism " + mechanism + " returned no result");
        }
        stage.whenComplete(this::completed);
        step();
    }

    @Override
    public Session session() {
        return c.session();
    }

    @Override
    public Envelope envelope() {
        return c.envelope();
    }

    @Override
    public String mechanism() {
        return mechanism;
    }

    @Override
    public CompletionStage<byte[]> challenge(byte[] challenge) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        CompletableFuture<Void> waiting;
        synchronized (lock) {
            if (finished) {
                answer.completeExceptionally(new CancellationException("the AUTH exchange is over"));
                return answer;
            }
            if (requested != null || response != null) {
                throw new IllegalStateException("one challenge at a time");
            }
            requested = challenge.clone();
            response = answer;
            waiting = wake;
            wake = null;
        }
        if (waiting != null) {
            waiting.complete(null);
        }
        return answer;
    }

    @Override
    public AuthResult authenticate(String mechanismName, Object data) {
        Authenticator authenticator = c.server().authenticator();
        if (authenticator == null) {
            return AuthResult.failure();
        }
        if (data instanceof LoginPassword && ((LoginPassword) data).authorizationId().length > 0
                && !authenticator.allowsProxyAuthorization()) {
            return AuthResult.failure(); // RFC 4616 2: no acting as someone else
        }
        AuthResult result = authenticator.authenticate(c.session(), c.envelope(), mechanismName, data);
        return result == null ? AuthResult.failure() : result;
    }

    private void completed(AuthResult result, Throwable error) {
        CompletableFuture<Void> waiting;
        synchronized (lock) {
            done = true;
            outcome = result;
            failure = error;
            waiting = wake;
            wake = null;
        }
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    /** Moves the exchange on. Runs on the session's context. */
    private void step() {
        if (finished) {
            return;
        }
        byte[] challenge;
        boolean over;
        CompletableFuture<Void> waiting = null;
        synchronized (lock) {
            over = done;
            challenge = over ? null : requested;
            requested = null;
            if (!over && challenge == null) {
                waiting = new CompletableFuture<>();
                wake = waiting;
            }
        }
        if (over) {
            finish();
        } else if (challenge != null) {
            c.pushLine(Reply.of(334, Base64.getEncoder().encodeToString(challenge)), new LineHandler() {
                @Override
                public HookResult onLine(CommandContext context, String line) {
                    return onResponse(context, line);
                }

                @Override
                public HookResult onOverlongLine(CommandContext context) {
                    return onOverlongResponse();
                }
            });
        } else {
            CompletableFuture<Void> progress = waiting;
            c.hook(h -> HookResult.later(progress.thenApply(v -> HookResult.proceed())), result -> {
                if (result.replyValue() != null) {
                    abandon(); // the wait timed out (451) or failed
                    c.reply(result.replyValue());
                } else {
                    step();
                }
            });
        }
    }

    /** RFC 4954 4: a response longer than the server takes ends the exchange as a failed attempt. */
    private HookResult onOverlongResponse() {
        CompletableFuture<byte[]> answer;
        synchronized (lock) {
            answer = response;
            response = null;
        }
        abandon();
        LOG.debug("{} AUTH {} response too long", c.session().id(), mechanism);
        c.authFailed(Replies.S500_AUTH_LINE_TOO_LONG);
        answer.completeExceptionally(new CancellationException("AUTH response too long"));
        return HookResult.proceed();
    }

    private HookResult onResponse(CommandContext context, String line) {
        CompletableFuture<byte[]> answer;
        synchronized (lock) {
            answer = response;
            response = null;
        }
        String blob = line.strip();
        byte[] decoded = blob.equals("*") ? null : StrictBase64.decode(blob);
        if (decoded == null) {
            abandon();
            LOG.debug("{} AUTH {} {}", c.session().id(), mechanism, blob.equals("*") ? "cancelled" : "bad base64");
            c.authFailed(blob.equals("*") ? Replies.S501_AUTH_ABORTED : Replies.S501_AUTH_BAD_BASE64);
            answer.completeExceptionally(new CancellationException("AUTH ended by the client's response"));
            return HookResult.proceed();
        }
        answer.complete(decoded); // a mechanism continues here, often at once
        step();
        return HookResult.proceed();
    }

    private void finish() {
        abandon();
        if (failure != null) {
            Throwable error = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            SaslExchange.<RuntimeException>rethrow(error); // answered as any exception in a command
        }
        AuthResult result = outcome == null ? AuthResult.failure() : outcome;
        if (result.success()) {
            c.session().authenticate(result.authData());
            LOG.info("{} AUTH {} succeeded", c.session().id(), mechanism);
            c.reply(result.reply() != null ? result.reply() : Replies.S235_AUTH_SUCCESS);
        } else {
            LOG.info("{} AUTH {} failed", c.session().id(), mechanism);
            c.authFailed(result.reply() != null ? result.reply() : Replies.S535_AUTH_INVALID);
        }
    }

    private void abandon() {
        synchronized (lock) {
            finished = true;
            requested = null;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void rethrow(Throwable error) throws T {
        throw (T) error;
    }
}
