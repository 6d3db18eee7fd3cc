package io.smtpd.api;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.smtpd.api.reply.Reply;

/**
 * What a hook decided. aiosmtpd's hooks return a status string or nothing ({@code MISSING}); here the same choices
 * are values, and a hook that needs time returns {@link #later(CompletionStage)} instead of blocking the I/O thread.
 *
 * <ul>
 *   <li>{@link #proceed()}: as if the hook were missing: the server applies its default state change and reply.</li>
 *   <li>{@link #reply(Reply)}: answer this reply, and apply no default state change (aiosmtpd semantics: a
 *       MAIL hook that answers itself records the sender itself, if it wants it recorded).</li>
 *   <li>{@link #accept(Reply)}: apply the default state change, but answer this reply.</li>
 *   <li>{@link #deny()}: for the PROXY and STARTTLS hooks: refuse the connection or the security it offers.</li>
 *   <li>{@link #replies(List)}: for an LMTP DATA hook, one reply per accepted recipient, in order.</li>
 *   <li>{@link #laterReplies(List)}: for an LMTP DATA hook, one pending reply per accepted recipient; each is sent
 *       as soon as it and those before it are known.</li>
 * </ul>
 *
 * <p>LMTP (RFC 2033 4.2) answers the end of DATA once per accepted recipient, in the order of the RCPT commands. A
 * DATA hook that gives one verdict ({@link #proceed()}, {@link #reply}, {@link #accept}) gives it to every recipient.
 * A list of one reply or stage does the same; a list of another length than the recipients is a handler error:
 * the missing recipients get {@code 451 4.3.0} (nothing is claimed delivered that the handler did not confirm) and
 * extra entries are ignored. A server speaking SMTP answers these per-recipient results with the first one.
 */
public final class HookResult {
    /** The kinds of decision. */
    public enum Kind { PROCEED, REPLY, ACCEPT, DENY, REPLIES, LATER, LATER_REPLIES }

    private static final HookResult PROCEED = new HookResult(Kind.PROCEED, null, null, null, null);
    private static final HookResult DENY = new HookResult(Kind.DENY, null, null, null, null);

    private final Kind kind;
    private final Reply reply;
    private final List<Reply> replies;
    private final CompletionStage<HookResult> later;
    private final List<CompletionStage<Reply>> laterReplies;

    private HookResult(Kind kind, Reply reply, List<Reply> replies, CompletionStage<HookResult> later,
                       List<CompletionStage<Reply>> laterReplies) {
        this.kind = kind;
        this.reply = reply;
        this.replies = replies;
        this.later = later;
        this.laterReplies = laterReplies;
    }

    /** Do what the server does when no hook is there. */
    public static HookResult proceed() {
        return PROCEED;
    }

    /** Answer {@code reply}; the server changes no state. */
    public static HookResult reply(Reply reply) {
        return new HookResult(Kind.REPLY, Objects.requireNonNull(reply, "reply"), null, null, null);
    }

    /** Answer a reply given as aiosmtpd's status strings are, for example {@code "550 No such user"}. */
    public static HookResult reply(String status) {
        return reply(Reply.parse(status));
    }

    /** Apply the server's default state change, and answer {@code reply} instead of its default reply. */
    public static HookResult accept(Reply reply) {
        return new HookResult(Kind.ACCEPT, Objects.requireNonNull(reply, "reply"), null, null, null);
    }

    /** Refuse: a PROXY hook closes the connection; a STARTTLS hook makes later commands fail with 554. */
    public static HookResult deny() {
        return DENY;
    }

    /**
     * One reply per accepted recipient, in RCPT order, for LMTP (see the class comment); a server speaking SMTP
     * answers with the first.
     */
    public static HookResult replies(List<Reply> replies) {
        if (replies.isEmpty()) {
            throw new IllegalArgumentException("replies must not be empty");
        }
        return new HookResult(Kind.REPLIES, replies.get(0), List.copyOf(replies), null, null);
    }

    /**
     * One pending reply per accepted recipient, in RCPT order, for LMTP (RFC 2033 4.2, as go-smtp's status
     * collector): each reply is sent as soon as it and all before it have completed, so a slow mailbox delays only
     * the replies after its own. The server reads nothing more from the client until the last has completed. A stage
     * that completes exceptionally answers its recipient as an exception thrown by the hook would. A server speaking
     * SMTP waits for the first and answers with it.
     */
    public static HookResult laterReplies(List<? extends CompletionStage<Reply>> replies) {
        if (replies.isEmpty()) {
            throw new IllegalArgumentException("replies must not be empty");
        }
        return new HookResult(Kind.LATER_REPLIES, null, null, null, List.copyOf(replies));
    }

    /**
     * The decision comes later: the server reads nothing more from this client until {@code stage} completes
     * (back-pressure), then acts on its result. A stage that completes exceptionally is handled like an
     * exception thrown by the hook.
     */
    public static HookResult later(CompletionStage<HookResult> stage) {
        return new HookResult(Kind.LATER, null, null, Objects.requireNonNull(stage, "stage"), null);
    }

    /** Convenience for asynchronous hooks written with {@link CompletableFuture}. */
    public static HookResult laterReply(CompletionStage<Reply> stage) {
        return later(stage.thenApply(HookResult::reply));
    }

    public Kind kind() {
        return kind;
    }

    /** The reply, for {@link Kind#REPLY}, {@link Kind#ACCEPT} and (the first) for {@link Kind#REPLIES}. */
    public Reply replyValue() {
        return reply;
    }

    /** The replies, for {@link Kind#REPLIES}. */
    public List<Reply> replyValues() {
        return replies == null ? (reply == null ? List.of() : List.of(reply)) : replies;
    }

    /** The pending decision, for {@link Kind#LATER}. */
    public CompletionStage<HookResult> stage() {
        return later;
    }

    /** The pending per-recipient replies, for {@link Kind#LATER_REPLIES}; empty otherwise. */
    public List<CompletionStage<Reply>> replyStages() {
        return laterReplies == null ? List.of() : laterReplies;
    }

    public boolean isProceed() {
        return kind == Kind.PROCEED;
    }

    @Override
    public String toString() {
        switch (kind) {
            case REPLY:
            case ACCEPT:
                return kind + "[" + reply + "]";
            case REPLIES:
                return kind + replies.toString();
            case LATER_REPLIES:
                return kind + "[" + laterReplies.size() + "]";
            default:
                return kind.toString();
        }
    }
}
