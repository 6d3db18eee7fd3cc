package io.smtpd.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class HeaderInsertionTest {
    private static String insert(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return new String(HeaderInsertion.locate(bytes).insertInto(bytes, List.of("X-Added: 1")),
                StandardCharsets.UTF_8);
    }

    @Test
    void goesBeforeTheFirstEmptyLine() {
        assertEquals("A: 1\r\nX-Added: 1\r\n\r\nB: not a header\r\n\r\n", insert("A: 1\r\n\r\nB: not a header\r\n\r\n"));
    }

    @Test
    void keepsFoldedHeaderLinesTogether() {
        assertEquals("Subject: a\r\n  folded\r\n\tagain\r\nX-Added: 1\r\n\r\nbody\r\n",
                insert("Subject: a\r\n  folded\r\n\tagain\r\n\r\nbody\r\n"));
    }

    @Test
    void treatsALeadingBlankLineAsTheSeparator() {
        assertEquals("X-Added: 1\r\n\r\nbody\r\n", insert("\r\nbody\r\n"));
    }

    @Test
    void neverLetsAnIndentedBodyLineContinueTheAddedField() {
        assertEquals("X-Added: 1\r\n\r\n  indented body\r\n", insert("  indented body\r\n"));
    }

    @Test
    void treatsAnMboxFromLineAsBody() {
        assertEquals("X-Added: 1\r\n\r\nFrom a@example.com Sat Jan  3 01:05:34 1996\r\nSubject: x\r\n",
                insert("From a@example.com Sat Jan  3 01:05:34 1996\r\nSubject: x\r\n"));
    }

    @Test
    void usesABareCrWhenTheMessageDoes() {
        assertEquals("A: 1\rX-Added: 1\r\rbody", insert("A: 1\r\rbody"));
    }

    @Test
    void neutralisesLineBreaksInFieldValues() {
        assertEquals("X-RcptTo: a  b", HeaderInsertion.field("X-RcptTo", "a\r\nb"));
        assertEquals("X-MailFrom: ", HeaderInsertion.field("X-MailFrom", null));
    }
}
