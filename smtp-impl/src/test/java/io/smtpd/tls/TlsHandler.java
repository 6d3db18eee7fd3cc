package io.smtpd.tls;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.smtpd.api.Envelope;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.TlsInfo;
import io.smtpd.testing.RecordingHandler;

/** Records messages, NOOPs (with the TLS facts seen then) and STARTTLS hook calls; can refuse the TLS session. */
public class TlsHandler extends RecordingHandler {
    public final AtomicInteger noops = new AtomicInteger();
    public final AtomicInteger startTlsHooks = new AtomicInteger();
    /** The session's TLS facts at each NOOP ({@code null} when in clear). */
    public final List<TlsInfo> tlsAtNoop = new CopyOnWriteArrayList<>();
    public volatile boolean denyStartTls;
    /** The session's TLS facts and auth data at each DATA. */
    public final List<TlsInfo> tlsAtData = new CopyOnWriteArrayList<>();
    public final List<Object> authAtData = new CopyOnWriteArrayList<>();

    @Override
    public HookResult handleData(Session session, Envelope envelope) {
        tlsAtData.add(session.tls().orElse(null));
        authAtData.add(session.authData().orElse("(none)"));
        return super.handleData(session, envelope);
    }

    @Override
    public HookResult handleNoop(Session session, Envelope envelope, String argument) {
        noops.incrementAndGet();
        tlsAtNoop.add(session.tls().orElse(null));
        return HookResult.proceed();
    }

    @Override
    public HookResult handleStartTls(Session session, Envelope envelope) {
        startTlsHooks.incrementAndGet();
        return denyStartTls ? HookResult.deny() : HookResult.proceed();
    }

    /** The TLS facts at the last NOOP. */
    public TlsInfo lastTls() {
        return tlsAtNoop.get(tlsAtNoop.size() - 1);
    }
}
