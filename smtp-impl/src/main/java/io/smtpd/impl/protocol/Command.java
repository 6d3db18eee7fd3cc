package io.smtpd.impl.protocol;

/** A command the conversation dispatches to: one class per verb. */
@FunctionalInterface
public interface Command {
    /**
     * Runs the command: checks, then the handler hook, then the default state change. It answers through
     * {@link Conversation#reply}, at once or when a hook completes.
     *
     * @param argument the text after the verb, trimmed, or {@code null} when there is none
     */
    void execute(Conversation conversation, String argument);
}
