package io.smtpd.impl.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The verbs a server answers: an immutable snapshot, replaced as a whole when commands come and go. */
public final class CommandTable {
    private final Map<String, CommandEntry> entries;

    private CommandTable(Map<String, CommandEntry> entries) {
        this.entries = entries;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The entry for {@code verb} (upper case), or {@code null}. */
    public CommandEntry get(String verb) {
        return entries.get(verb);
    }

    public Collection<CommandEntry> entries() {
        return entries.values();
    }

    /** The verbs HELP lists, sorted. */
    public List<String> helpVerbs() {
        List<String> verbs = new ArrayList<>();
        for (CommandEntry entry : new TreeMap<>(entries).values()) {
            if (entry.syntax() != null) {
                verbs.add(entry.verb());
            }
        }
        return verbs;
    }

    /** The extra EHLO keywords of custom commands, in verb order. */
    public List<String> ehloKeywords() {
        List<String> keywords = new ArrayList<>();
        for (CommandEntry entry : new TreeMap<>(entries).values()) {
            if (entry.ehloKeyword() != null) {
                keywords.add(entry.ehloKeyword());
            }
        }
        return keywords;
    }

    /** Builds a {@link CommandTable}; a later entry for a verb replaces an earlier one. */
    public static final class Builder {
        private final Map<String, CommandEntry> entries = new HashMap<>();

        public Builder put(CommandEntry entry) {
            entries.put(entry.verb().toUpperCase(Locale.ROOT), entry);
            return this;
        }

        public Builder remove(String verb) {
            entries.remove(verb.toUpperCase(Locale.ROOT));
            return this;
        }

        public boolean contains(String verb) {
            return entries.containsKey(verb.toUpperCase(Locale.ROOT));
        }

        public CommandTable build() {
            return new CommandTable(Map.copyOf(entries));
        }
    }
}
