package io.smtpd.app;

/** A bad command line: an unknown option, a missing or malformed value, or options that do not go together. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
