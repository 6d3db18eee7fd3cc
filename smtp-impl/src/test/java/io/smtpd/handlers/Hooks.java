package io.smtpd.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.TimeUnit;

import io.smtpd.api.HookResult;
import io.smtpd.api.reply.Reply;

/** Waiting for a hook's decision, with a bound. */
final class Hooks {
    static final long WAIT_SECONDS = 20;

    private Hooks() {
    }

    /** The decision, once a {@code LATER} result has completed. */
    static HookResult settled(HookResult result) throws Exception {
        HookResult current = result;
        while (current.kind() == HookResult.Kind.LATER) {
            current = current.stage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        return current;
    }

    /** The reply of a settled {@code REPLY} result. */
    static Reply reply(HookResult result) throws Exception {
        HookResult settled = settled(result);
        assertEquals(HookResult.Kind.REPLY, settled.kind(), "decision: " + settled);
        assertNotNull(settled.replyValue());
        return settled.replyValue();
    }
}
