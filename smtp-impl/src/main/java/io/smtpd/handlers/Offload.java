package io.smtpd.handlers;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import io.smtpd.api.HookResult;
import io.smtpd.api.reply.Reply;
import org.slf4j.Logger;

/** Runs a hook's blocking work on an executor: the hook returns at once and the server answers once the work did. */
final class Offload {
    private Offload() {
    }

    /**
     * Hands {@code work} to {@code executor}. The work completes the future it is given; if it throws or returns
     * without doing so, or if the executor refuses it, the answer is {@code onFailure}, so a client never waits
     * for an answer that cannot come.
     */
    static HookResult run(Executor executor, Reply onFailure, Logger log,
            Consumer<CompletableFuture<HookResult>> work) {
        CompletableFuture<HookResult> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    work.accept(result);
                } catch (RuntimeException e) {
                    log.error("Handler work failed", e);
                } finally {
                    result.complete(HookResult.reply(onFailure));
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("Handler executor refused work (saturated or shut down); answering {}", onFailure.code());
            return HookResult.reply(onFailure);
        }
        return HookResult.later(result);
    }
}
