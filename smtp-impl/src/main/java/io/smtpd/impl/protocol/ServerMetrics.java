package io.smtpd.impl.protocol;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one server, shared by all its sessions and kept across configuration updates (the server owns
 * it and hands it to each new {@link ServerContext}). Every update is a {@link LongAdder} increment: no lock, no
 * contended CAS on the hot path.
 */
public final class ServerMetrics {
    private final LongAdder sessionsOpen = new LongAdder();
    private final LongAdder sessionsTotal = new LongAdder();
    private final LongAdder sessionsRefused = new LongAdder();
    private final LongAdder commands = new LongAdder();
    private final LongAdder messagesAccepted = new LongAdder();
    private final LongAdder messagesRejected = new LongAdder();
    private final LongAdder bytesReceivedClosed = new LongAdder();
    private final LongAdder replies2xx = new LongAdder();
    private final LongAdder replies3xx = new LongAdder();
    private final LongAdder replies4xx = new LongAdder();
    private final LongAdder replies5xx = new LongAdder();
    private final LongAdder tlsHandshakes = new LongAdder();
    private final LongAdder tlsFailures = new LongAdder();
    private final LongAdder authSuccesses = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder handlerCalls = new LongAdder();
    private final LongAdder handlerNanos = new LongAdder();
    private final LongAccumulator handlerMaxNanos = new LongAccumulator(Math::max, 0);

    // ---- updates (session threads) --------------------------------------------------------------------------

    public void sessionOpened() {
        sessionsOpen.increment();
        sessionsTotal.increment();
    }

    public void sessionClosed(long bytesReceived) {
        sessionsOpen.decrement();
        bytesReceivedClosed.add(bytesReceived);
    }

    public void sessionRefused() {
        sessionsRefused.increment();
    }

    public void command() {
        commands.increment();
    }

    public void reply(int code) {
        switch (code / 100) {
            case 2: replies2xx.increment(); break;
            case 3: replies3xx.increment(); break;
            case 4: replies4xx.increment(); break;
            case 5: replies5xx.increment(); break;
            default: break;
        }
    }

    public void messageAccepted() {
        messagesAccepted.increment();
    }

    public void messageRejected() {
        messagesRejected.increment();
    }

    public void tlsHandshake() {
        tlsHandshakes.increment();
    }

    public void tlsFailure() {
        tlsFailures.increment();
    }

    public void authSuccess() {
        authSuccesses.increment();
    }

    public void authFailure() {
        authFailures.increment();
    }

    /** One handler hook took {@code nanos}, from its call to its completion. */
    public void handlerTime(long nanos) {
        handlerCalls.increment();
        handlerNanos.add(nanos);
        if (nanos > handlerMaxNanos.get()) {
            handlerMaxNanos.accumulate(nanos);
        }
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    public long sessionsOpen() {
        return sessionsOpen.sum();
    }

    public long sessionsTotal() {
        return sessionsTotal.sum();
    }

    public long sessionsRefused() {
        return sessionsRefused.sum();
    }

    public long commands() {
        return commands.sum();
    }

    public long messagesAccepted() {
        return messagesAccepted.sum();
    }

    public long messagesRejected() {
        return messagesRejected.sum();
    }

    /** Octets received by sessions that have ended (add the open sessions' own counts for a live total). */
    public long bytesReceivedClosed() {
        return bytesReceivedClosed.sum();
    }

    public long replies2xx() {
        return replies2xx.sum();
    }

    public long replies3xx() {
        return replies3xx.sum();
    }

    public long replies4xx() {
        return replies4xx.sum();
    }

    public long replies5xx() {
        return replies5xx.sum();
    }

    public long tlsHandshakes() {
        return tlsHandshakes.sum();
    }

    public long tlsFailures() {
        return tlsFailures.sum();
    }

    public long authSuccesses() {
        return authSuccesses.sum();
    }

    public long authFailures() {
        return authFailures.sum();
    }

    public long handlerCalls() {
        return handlerCalls.sum();
    }

    public long handlerNanos() {
        return handlerNanos.sum();
    }

    public long handlerMaxNanos() {
        return handlerMaxNanos.get();
    }

    /** Zeroes every counter but the open sessions (a gauge, not a counter). */
    public void reset() {
        for (LongAdder adder : new LongAdder[] {sessionsTotal, sessionsRefused, commands, messagesAccepted,
                messagesRejected, bytesReceivedClosed, replies2xx, replies3xx, replies4xx, replies5xx, tlsHandshakes,
                tlsFailures, authSuccesses, authFailures, handlerCalls, handlerNanos}) {
            adder.reset();
        }
        handlerMaxNanos.reset();
    }
}
