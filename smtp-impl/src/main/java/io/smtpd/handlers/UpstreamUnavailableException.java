package io.smtpd.handlers;

import java.io.IOException;

/** The upstream server cannot take the message now: it is down, slow, closing, or refused to talk to us. */
final class UpstreamUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    UpstreamUnavailableException(String message) {
        super(message);
    }
}
