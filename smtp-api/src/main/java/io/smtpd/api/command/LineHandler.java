package io.smtpd.api.command;

import io.smtpd.api.HookResult;
import io.smtpd.api.reply.Replies;
import org.osgi.annotation.versioning.ConsumerType;

/** Receives the next line of a multi-line exchange started with {@link CommandContext#pushLine}. */
@ConsumerType
@FunctionalInterface
public interface LineHandler {
    /**
     * {@code line} is the client's line without its line end. The result answers as a command's does, except that
     * {@link HookResult#proceed()} sends nothing: the handler has pushed the next line handler (another
     * {@link CommandContext#pushLine}), or the exchange was answered otherwise.
     */
    HookResult onLine(CommandContext context, String line);

    /**
     * The client's next line was longer than the server ever buffers; it was discarded. Default:
     * {@code 500 Command line too long}, and the exchange is over.
     */
    default HookResult onOverlongLine(CommandContext context) {
        return HookResult.reply(Replies.S500_COMMAND_TOO_LONG);
    }
}
