package io.smtpd.handlers;

import io.smtpd.api.Envelope;

/** The message bytes a handler works on: what the hooks left as content, else the original. */
final class Content {
    private static final byte[] NONE = new byte[0];

    private Content() {
    }

    static byte[] of(Envelope envelope) {
        byte[] content = envelope.content();
        if (content == null) {
            content = envelope.originalContent();
        }
        return content == null ? NONE : content;
    }
}
