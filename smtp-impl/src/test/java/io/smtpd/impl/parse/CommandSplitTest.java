package io.smtpd.impl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.smtpd.api.reply.Replies;

class CommandSplitTest {
    private static CommandSplit split(String line, boolean utf8) {
        return CommandSplit.of(line.getBytes(StandardCharsets.ISO_8859_1), utf8);
    }

    @Test
    void theVerbIsUpperCasedAndTheArgumentStrippedAsPythonStripsBytes() {
        CommandSplit s = split("mail \t FROM:<a@b> \u000b", false);
        assertEquals("MAIL", s.verb());
        assertEquals("FROM:<a@b>", s.argument());
        assertNull(s.refusal());
        assertNull(split("NOOP   ", false).argument(), "only white space is no argument");
    }

    @Test
    void nonAsciiIsRefusedAsAiosmtpdRefusesIt() {
        assertEquals(Replies.S500_BAD_SYNTAX, split("", false).refusal());
        assertEquals(Replies.S500_BAD_SYNTAX, split("N\u00c9OP", false).refusal());
        assertEquals(Replies.S500_STRICT_ASCII, split("MAIL FROM:<\u00e9@b>", false).refusal());
    }

    @Test
    void withSmtpUtf8InvalidUtf8IsFlaggedNotRefused() {
        CommandSplit valid = CommandSplit.of("RCPT TO:<é@b>".getBytes(StandardCharsets.UTF_8), true);
        assertEquals("TO:<é@b>", valid.argument());
        CommandSplit invalid = split("RCPT TO:<\u00ff@b>", true);
        assertTrue(invalid.argumentMalformed());
        assertNull(invalid.refusal());
    }
}
