package io.smtpd.impl.mina;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.LogSafe;
import io.smtpd.impl.proxy.ProxyHeader;
import io.smtpd.impl.proxy.ProxyHeaderParser;

/**
 * The PROXY protocol (HAProxy's v1 and v2) in front of everything else: the first filter of the chain, before TLS
 * (the header precedes the handshake) and the SMTP codec.
 *
 * <p>It holds back the session's {@code sessionOpened} event, and so the greeting, until a valid header arrived and
 * the handler's {@link Handler#handleProxy} hook accepted it, all within the PROXY timeout. Then it sets the
 * session's {@link io.smtpd.api.Session#proxyData()}, lets the rest of the chain open the session, and passes on the
 * bytes that followed the header. A header that is invalid, or incomplete when the timeout passes, and a hook that
 * refuses, close the connection without a byte sent. Nothing is written before the header was accepted: a write
 * then closes the connection instead. Header bytes are held only up to the longest header allowed.
 *
 * <p>The per-session state is serialized by the {@link SessionContext} monitor, the lock the conversation uses.
 */
final class ProxyProtocolFilter extends IoFilterAdapter {
    /** The filter's name in the chain (the connection cap removes it by that name for refused sessions). */
    static final String NAME = "proxy";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolFilter.class);
    private static final AttributeKey STATE = new AttributeKey(ProxyProtocolFilter.class, "state");

    /** One session's handshake. */
    private static final class Handshake {
        final NextFilter next;
        final ProxyHeaderParser parser = new ProxyHeaderParser();
        ScheduledFuture<?> timeout;
        /** Set once the header was accepted: from then on writes pass. */
        volatile boolean accepted;
        /**
         * Set once the session was opened and the bytes after the header passed on: from then on input passes without
         * the lock. Until then a read still in flight waits for the lock, so that nothing overtakes the kept bytes.
         */
        volatile boolean done;
        boolean failed;
        /** The header, once read: the hook is deciding. */
        ProxyHeader header;
        /** Bytes that followed the header, kept while the hook decides. */
        IoBuffer kept;
        boolean suspended;

        Handshake(NextFilter next) {
            this.next = next;
        }

        void keep(IoBuffer in) {
            if (!in.hasRemaining()) {
                return;
            }
            if (kept == null) {
                kept = IoBuffer.allocate(in.remaining()).setAutoExpand(true);
            } else {
                kept.compact();
            }
            kept.put(in);
            kept.flip();
        }
    }

    @Override
    public void sessionOpened(NextFilter next, IoSession session) throws Exception {
        SessionContext context = SessionContext.of(session);
        Duration timeout = context == null ? null : context.conversation.settings().proxyProtocolTimeout();
        if (timeout == null) {
            next.sessionOpened(session); // refused, or the PROXY protocol was turned off for new sessions
            return;
        }
        Handshake handshake = new Handshake(next);
        session.setAttribute(STATE, handshake);
        synchronized (context) {
            try {
                handshake.timeout = context.conversation.server().timer().schedule(() -> expire(session),
                        timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                refuse(session, handshake, "the server is stopping");
            }
        }
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        Handshake handshake = (Handshake) session.getAttribute(STATE);
        if (handshake == null || handshake.done || !(message instanceof IoBuffer)) {
            next.messageReceived(session, message);
            return;
        }
        SessionContext context = SessionContext.of(session);
        synchronized (context) {
            if (handshake.accepted) {
                next.messageReceived(session, message);
                return;
            }
            IoBuffer in = (IoBuffer) message;
            if (handshake.failed) {
                in.position(in.limit());
                return;
            }
            if (handshake.header != null) {
                handshake.keep(in); // the hook is deciding; reading is suspended
                return;
            }
            ProxyHeaderParser.Status status = handshake.parser.feed(in.buf());
            if (status == ProxyHeaderParser.Status.INCOMPLETE) {
                return;
            }
            if (status == ProxyHeaderParser.Status.INVALID) {
                in.position(in.limit());
                refuse(session, handshake, handshake.parser.error());
                return;
            }
            handshake.header = handshake.parser.header();
            handshake.keep(in);
            Conversation conversation = context.conversation;
            conversation.session().proxyData(handshake.header);
            LOG.debug("{} PROXY header from {}: {}", conversation.session().id(), session.getRemoteAddress(),
                    handshake.header);
            HookResult result;
            try {
                result = conversation.hookHandler().handleProxy(conversation.session(), conversation.envelope(),
                        handshake.header);
            } catch (RuntimeException | LinkageError e) {
                result = failed(conversation, e);
            }
            decide(session, context, handshake, result);
        }
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest request) throws Exception {
        Handshake handshake = (Handshake) session.getAttribute(STATE);
        if (handshake != null && !handshake.accepted) {
            // nothing goes out before an accepted header: a server shutting down just closes
            request.getFuture().setException(new WriteToClosedSessionException(request));
            session.closeNow();
            return;
        }
        next.filterWrite(session, request);
    }

    @Override
    public void sessionClosed(NextFilter next, IoSession session) throws Exception {
        Handshake handshake = (Handshake) session.removeAttribute(STATE);
        if (handshake != null) {
            cancelTimeout(handshake);
            handshake.kept = null;
            if (!handshake.accepted && !handshake.failed) {
                LOG.debug("{} closed before a PROXY header", session.getRemoteAddress());
            }
        }
        next.sessionClosed(session);
    }

    /** Acts on the hook's decision: now, or when it completes. Holds the context lock. */
    private void decide(IoSession session, SessionContext context, Handshake handshake, HookResult result) {
        if (handshake.failed || session.isClosing()) {
            return;
        }
        HookResult r = result == null ? HookResult.proceed() : result;
        Conversation conversation = context.conversation;
        switch (r.kind()) {
            case LATER:
                if (!handshake.suspended) {
                    handshake.suspended = true;
                    Reads.suspend(session);
                }
                r.stage().whenComplete((value, error) -> context.connection.execute(() -> decide(session, context,
                        handshake, error == null ? value : failed(conversation, unwrap(error)))));
                return;
            case DENY:
                refuse(session, handshake, "refused by the PROXY hook");
                return;
            default:
                accept(session, handshake, conversation);
        }
    }

    /** The header is accepted: open the session for the rest of the chain, then hand it the bytes that followed. */
    private static void accept(IoSession session, Handshake handshake, Conversation conversation) {
        cancelTimeout(handshake);
        handshake.accepted = true;
        LOG.debug("{} PROXY header accepted: client {}", conversation.session().id(),
                conversation.session().clientAddress());
        handshake.next.sessionOpened(session);
        IoBuffer kept = handshake.kept;
        handshake.kept = null;
        if (kept != null && kept.hasRemaining() && !session.isClosing()) {
            handshake.next.messageReceived(session, kept);
        }
        handshake.done = true;
        if (handshake.suspended) {
            handshake.suspended = false;
            if (!conversation.isPaused() && !conversation.isClosed()) {
                Reads.resume(session);
            }
        }
    }

    private void expire(IoSession session) {
        Handshake handshake = (Handshake) session.getAttribute(STATE);
        SessionContext context = SessionContext.of(session);
        if (handshake == null || context == null) {
            return;
        }
        synchronized (context) {
            if (!handshake.accepted && !handshake.failed) {
                refuse(session, handshake, handshake.header == null ? "no PROXY header in time"
                        : "the PROXY hook did not decide in time");
            }
        }
    }

    private static void refuse(IoSession session, Handshake handshake, String why) {
        handshake.failed = true;
        handshake.kept = null;
        cancelTimeout(handshake);
        LOG.info("{} closing without a reply: {}", session.getRemoteAddress(), LogSafe.text(why));
        session.closeNow();
    }

    private static void cancelTimeout(Handshake handshake) {
        ScheduledFuture<?> timeout = handshake.timeout;
        if (timeout != null) {
            timeout.cancel(false);
            handshake.timeout = null;
        }
    }

    /** An exception from the hook refuses the connection (fail closed). */
    private static HookResult failed(Conversation conversation, Throwable error) {
        LOG.warn("{} PROXY hook failed; closing", conversation.session().id(), error);
        return HookResult.deny();
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
