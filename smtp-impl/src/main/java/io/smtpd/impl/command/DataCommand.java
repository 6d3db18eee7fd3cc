package io.smtpd.impl.command;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.smtpd.api.HookResult;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.data.DotReader;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.EnvelopeState;
import io.smtpd.server.BareLineEndPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DATA (RFC 5321 4.1.1.4): {@code 354}, then the message until {@code CRLF.CRLF}, then the DATA hook. Limits are
 * answered only after the terminator (RFC 5321 4.2.5). With LMTP, one reply per accepted recipient (RFC 2033 4.2).
 */
public final class DataCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(DataCommand.class);
    /** For a recipient the DATA hook gave no verdict for: nothing is claimed delivered that was not confirmed. */
    private static final Reply NO_VERDICT = Reply.of(451, "4.3.0", "Error: no verdict for this recipient");
    private static final CompletionStage<Reply> MISSING = CompletableFuture.completedFuture(NO_VERDICT);

    @Override
    public void execute(Conversation c, String argument) {
        if (c.envelope().rcptTos().isEmpty()) {
            c.reply(Replies.S503_RCPT_NEEDED);
            return;
        }
        if (argument != null) {
            c.reply(Replies.S501_SYNTAX_DATA);
            return;
        }
        if (c.envelope().chunks() != null) {
            c.reply(EsmtpReplies.S503_DATA_AFTER_BDAT); // RFC 3030 2: no DATA once BDAT began
            return;
        }
        if (c.envelope().mailOptions().contains("BODY=BINARYMIME")) {
            c.reply(EsmtpReplies.S503_BINARYMIME_NEEDS_BDAT); // RFC 3030 3
            return;
        }
        if (!c.hasTransactionHandler()) {
            c.reply(Replies.S451_NO_HANDLER);
            return;
        }
        c.reply(Replies.S354_DATA_ENTER);
        DotReader reader = new DotReader(c.settings().dataSizeLimit(), c.settings().dataLineLimit(),
                c.settings().bareLineEnds());
        c.expectData(reader, finished -> onMessage(c, finished));
    }

    private static void onMessage(Conversation c, DotReader reader) {
        EnvelopeState envelope = c.envelope();
        int recipients = envelope.rcptTos().size();
        switch (reader.outcome()) {
            case TOO_LONG:
                finish(c, recipients, Replies.S500_DATA_LINE_TOO_LONG);
                return;
            case TOO_MUCH:
                finish(c, recipients, Replies.S552_TOO_MUCH_DATA);
                return;
            default:
                break;
        }
        if (reader.sawBareLineEnd() && c.settings().bareLineEnds() == BareLineEndPolicy.REJECT) {
            finish(c, recipients, Replies.S550_BARE_LINE_END);
            return;
        }
        deliver(c, reader.content());
    }

    /**
     * Hands a complete message to the DATA hook and answers it, as DATA does: for DATA and for {@code BDAT ... LAST}.
     */
    static void deliver(Conversation c, byte[] content) {
        c.expectMessageVerdict();
        EnvelopeState envelope = c.envelope();
        int recipients = envelope.rcptTos().size();
        String decoded = null;
        if (c.settings().decodeData()) {
            decoded = decode(content, c.settings().smtpUtf8());
            if (decoded == null) {
                finish(c, recipients, Replies.S500_DATA_STRICT_ASCII);
                return;
            }
        }
        envelope.receive(content, decoded);
        c.hook(h -> h.handleData(c.session(), envelope), result -> {
            c.resetTransaction();
            answer(c, recipients, result);
        });
    }

    /** Ends the transaction with {@code reply}: once, or with LMTP once per accepted recipient. */
    static void finish(Conversation c, int recipients, Reply reply) {
        c.expectMessageVerdict();
        c.resetTransaction();
        sendAll(c, Collections.nCopies(c.session().lmtp() ? recipients : 1, reply));
    }

    /**
     * Answers the DATA hook: one reply, or with LMTP one per accepted recipient in RCPT order (RFC 2033 4.2): the
     * hook's single verdict for each, or its per-recipient verdicts ({@link HookResult#replies},
     * {@link HookResult#laterReplies}).
     */
    private static void answer(Conversation c, int recipients, HookResult result) {
        boolean lmtp = c.session().lmtp();
        if (result.kind() == HookResult.Kind.REPLIES && lmtp) {
            List<Reply> verdicts = result.replyValues();
            checkCount(c, verdicts.size(), recipients);
            List<Reply> replies = new ArrayList<>(recipients);
            for (int i = 0; i < recipients; i++) {
                replies.add(verdict(verdicts, i, NO_VERDICT));
            }
            sendAll(c, replies);
            return;
        }
        if (result.kind() == HookResult.Kind.LATER_REPLIES) {
            List<CompletionStage<Reply>> stages = result.replyStages();
            if (lmtp) {
                checkCount(c, stages.size(), recipients);
                sendInOrder(c, stages, recipients, 0);
            } else {
                sendInOrder(c, stages.subList(0, 1), 1, 0);
            }
            return;
        }
        Reply reply = result.replyValue() == null ? Replies.S250_DATA_OK : result.replyValue();
        sendAll(c, Collections.nCopies(lmtp ? recipients : 1, reply));
    }

    /** The replies of one exchange: all written, the last one ending it. */
    private static void sendAll(Conversation c, List<Reply> replies) {
        for (int i = 0; i < replies.size() - 1; i++) {
            c.replyPart(replies.get(i));
        }
        c.reply(replies.get(replies.size() - 1));
    }

    /**
     * Sends the verdict of each recipient from {@code from} on, in order, each as soon as it is known: completed
     * ones at once, and for a pending one the conversation waits (reading nothing) until it completes.
     */
    private static void sendInOrder(Conversation c, List<CompletionStage<Reply>> stages, int count, int from) {
        for (int i = from; i < count; i++) {
            CompletionStage<Reply> stage = verdict(stages, i, MISSING);
            Reply reply = completed(c, stage);
            if (reply == null) {
                int index = i;
                c.hook(h -> HookResult.later(stage.thenApply(DataCommand::orDefault)), result -> {
                    Reply answered = result.replyValue() == null ? Replies.S250_DATA_OK : result.replyValue();
                    if (index + 1 < count) {
                        c.replyPart(answered);
                        sendInOrder(c, stages, count, index + 1);
                    } else {
                        c.reply(answered);
                    }
                });
                return;
            }
            if (i + 1 < count) {
                c.replyPart(reply);
            } else {
                c.reply(reply);
            }
        }
    }

    /**
     * The reply for a stage that already completed (a failed one answered as a failed hook is), or {@code null} while
     * it is pending. Answering completed stages in a loop keeps the stack flat however many recipients there are.
     */
    private static Reply completed(Conversation c, CompletionStage<Reply> stage) {
        CompletableFuture<Reply> future;
        try {
            future = stage.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
            return null; // a stage of another kind: wait for it through the hook path
        }
        if (!future.isDone()) {
            return null;
        }
        Reply[] answer = new Reply[1];
        c.hook(h -> {
            try {
                return orDefault(future.join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw e;
            }
        }, result -> answer[0] = result.replyValue() == null ? Replies.S250_DATA_OK : result.replyValue());
        return answer[0];
    }

    private static HookResult orDefault(Reply reply) {
        return reply == null ? HookResult.proceed() : HookResult.reply(reply);
    }

    /** A list of one verdict gives it to every recipient; a shorter list leaves {@code missing} for the rest. */
    private static <T> T verdict(List<T> verdicts, int index, T missing) {
        if (verdicts.size() == 1) {
            return verdicts.get(0);
        }
        return index < verdicts.size() ? verdicts.get(index) : missing;
    }

    private static void checkCount(Conversation c, int verdicts, int recipients) {
        if (verdicts != 1 && verdicts != recipients) {
            LOG.warn("{} the DATA hook gave {} verdicts for {} recipients", c.session().id(), verdicts, recipients);
        }
    }

    private static String decode(byte[] content, boolean utf8) {
        if (utf8) {
            return new String(content, StandardCharsets.UTF_8);
        }
        try {
            return StandardCharsets.US_ASCII.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
