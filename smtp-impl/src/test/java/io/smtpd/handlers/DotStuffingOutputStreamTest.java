package io.smtpd.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DotStuffingOutputStreamTest {
    private static String wire(String... pieces) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffingOutputStream data = new DotStuffingOutputStream(out);
        for (String piece : pieces) {
            data.write(piece.getBytes(StandardCharsets.UTF_8));
        }
        data.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void endsAnEmptyMessageWithTheTerminatorAlone() throws IOException {
        assertEquals(".\r\n", wire());
    }

    @Test
    void endsAnUnterminatedLastLine() throws IOException {
        assertEquals("last\r\n.\r\n", wire("last"));
    }

    @Test
    void makesBareCrAndBareLfCrlf() throws IOException {
        assertEquals("a\r\nb\r\nc\r\n\r\n\r\nd\r\n.\r\n", wire("a\rb\nc\r\n\n\rd"));
    }

    @Test
    void keepsACrlfSplitAcrossWritesOneLineEnd() throws IOException {
        assertEquals("a\r\nb\r\n.\r\n", wire("a\r", "\nb\r", "\n"));
    }

    @Test
    void doublesADotAtTheStartOfEachLineOnly() throws IOException {
        assertEquals("..a.b\r\n..\r\n...\r\nx.\r\n..\r\n.\r\n", wire(".a.b\r\n.\r\n..\r\nx.\r\n", "."));
    }

    @Test
    void doublesADotThatStartsAWriteAtALineStart() throws IOException {
        assertEquals("a\r\n..b\r\n.\r\n", wire("a\n", ".b"));
    }
}
