package io.smtpd.handlers;

import io.smtpd.api.Handler;

/** Accepts every message and discards it: every hook keeps the server's default (aiosmtpd's {@code Sink}). */
public final class Sink implements Handler {
    @Override
    public String toString() {
        return "Sink";
    }
}
