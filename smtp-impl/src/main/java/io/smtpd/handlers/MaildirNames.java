package io.smtpd.handlers;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique Maildir file names, in the form Python's {@code mailbox.Maildir} writes:
 * {@code <seconds>.M<microseconds>P<pid>Q<counter>.<host>}. The counter is shared by every mailbox of the process,
 * so names differ across threads and instances; the pid tells processes apart, the host machines.
 */
final class MaildirNames {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    private MaildirNames() {
    }

    static String next() {
        Instant now = Instant.now();
        return now.getEpochSecond() + ".M" + now.getNano() / 1000 + "P" + PID + "Q" + COUNTER.incrementAndGet()
                + "." + Host.NAME;
    }

    /** Looked up once, on first use (a worker thread): the lookup may wait on DNS. */
    private static final class Host {
        static final String NAME = escape(localName());

        private static String localName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException | SecurityException e) {
                return "localhost";
            }
        }

        /** The Maildir convention: '/' and ':' would break the name, so they are written as octal escapes. */
        private static String escape(String host) {
            return host.replace("/", "\\057").replace(":", "\\072");
        }
    }
}
