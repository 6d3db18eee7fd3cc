package io.smtpd.handlers;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.reply.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints each message, as aiosmtpd's {@code Debugging} handler does, and accepts it:
 *
 * <pre>
 * ---------- MESSAGE FOLLOWS ----------
 * mail options: ['SIZE=100', 'BODY=8BITMIME']     (only with MAIL options; "rcpt options: [...]" likewise)
 *                                                 (a blank line after either)
 * Subject: the headers, one line each
 * X-Peer: 127.0.0.1                               (before the first empty line; none without one)
 *
 * the body
 * ------------ END MESSAGE ------------
 * </pre>
 *
 * Lines end where {@code \r\n}, {@code \r} or {@code \n} end them (Python's {@code bytes.splitlines}), are decoded
 * as UTF-8 with replacement characters, and are printed with the platform's line separator. Each message is
 * printed with one write and flushed, so messages of concurrent sessions never interleave.
 */
public final class Debugging implements Handler {
    static final String HEADER = "---------- MESSAGE FOLLOWS ----------";
    static final String FOOTER = "------------ END MESSAGE ------------";
    private static final Logger LOG = LoggerFactory.getLogger(Debugging.class);
    private static final Reply PRINT_FAILED = Reply.parse("451 4.3.0 Error: could not print message");

    private final PrintStream stream;
    private final Executor executor;

    /** Prints to standard output, on the hook's thread. */
    public Debugging() {
        this(System.out);
    }

    /** Prints to {@code stream}, on the hook's thread (as aiosmtpd does). */
    public Debugging(PrintStream stream) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.executor = null;
    }

    /**
     * Prints to {@code stream} on {@code executor}: for a stream that may block (a pipe nobody drains), so that it
     * blocks a worker and not the server's I/O thread. The 250 follows the print.
     */
    public Debugging(PrintStream stream, Executor executor) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public HookResult handleData(Session session, Envelope envelope) {
        String text = format(ClientIp.of(session), envelope.mailOptions(), envelope.rcptOptions(),
                Content.of(envelope));
        if (executor == null) {
            print(text);
            return HookResult.proceed();
        }
        return Offload.run(executor, PRINT_FAILED, LOG, result -> {
            print(text);
            result.complete(HookResult.proceed());
        });
    }

    private void print(String text) {
        stream.print(text);
        stream.flush();
    }

    /** The whole printout of one message, each line ended by the platform's line separator. */
    static String format(String peerIp, List<String> mailOptions, List<String> rcptOptions, byte[] content) {
        String eol = System.lineSeparator();
        StringBuilder out = new StringBuilder(content.length + 256).append(HEADER).append(eol);
        boolean options = false;
        if (!mailOptions.isEmpty()) {
            out.append("mail options: ").append(PythonRepr.list(mailOptions)).append(eol);
            options = true;
        }
        // aiosmtpd tests any(rcpt_options): only a non-empty option counts
        if (rcptOptions.stream().anyMatch(option -> !option.isEmpty())) {
            out.append("rcpt options: ").append(PythonRepr.list(rcptOptions)).append(eol);
            options = true;
        }
        if (options) {
            out.append(eol);
        }
        boolean inHeaders = true;
        for (String line : splitLines(content)) {
            if (inHeaders && line.isEmpty()) {
                out.append("X-Peer: ").append(peerIp).append(eol);
                inHeaders = false;
            }
            out.append(line).append(eol);
        }
        return out.append(FOOTER).append(eol).toString();
    }

    /** Python's {@code bytes.splitlines()}: {@code \r\n}, {@code \r} and {@code \n} end a line; no empty last line. */
    static List<String> splitLines(byte[] content) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < content.length) {
            byte b = content[i];
            if (b == '\r' || b == '\n') {
                lines.add(new String(content, start, i - start, StandardCharsets.UTF_8));
                i += b == '\r' && i + 1 < content.length && content[i + 1] == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < content.length) {
            lines.add(new String(content, start, content.length - start, StandardCharsets.UTF_8));
        }
        return lines;
    }
}
