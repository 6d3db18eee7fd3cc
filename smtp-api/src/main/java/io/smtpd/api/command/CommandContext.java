package io.smtpd.api.command;

import io.smtpd.api.Envelope;
import io.smtpd.api.Session;
import io.smtpd.api.reply.Reply;
import org.osgi.annotation.versioning.ProviderType;

/** What a custom command can see and do in the session that runs it. */
@ProviderType
public interface CommandContext {
    Session session();

    Envelope envelope();

    /** Ends the mail transaction, as RSET does (without calling the RSET hook). */
    void resetTransaction();

    /**
     * Sends an intermediate reply now (for example a {@code 334} challenge) and passes the client's next line to
     * {@code next} instead of the command dispatcher: aiosmtpd's {@code await push(); await readline()}.
     */
    void pushLine(Reply intermediate, LineHandler next);
}
