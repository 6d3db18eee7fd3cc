package io.smtpd.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.smtpd.api.HookResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DebuggingTest {
    private static final String EOL = System.lineSeparator();

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    // Buffered and without autoflush: what reaches `printed` was flushed by the handler.
    private final PrintStream stream =
            new PrintStream(new BufferedOutputStream(printed, 1 << 16), false, StandardCharsets.UTF_8);

    private static String lines(String... lines) {
        return String.join(EOL, lines) + EOL;
    }

    private String print(TestEnvelope envelope) {
        HookResult result = new Debugging(stream).handleData(TestSession.from("127.0.0.1"), envelope);
        assertSame(HookResult.proceed(), result);
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheMessageWithXPeerBeforeTheBodyAndFlushes() {
        String out = print(TestEnvelope.of("a@example.com", List.of("b@example.com"),
                "From: a@example.com\r\nSubject: hi\r\n\r\nline one\r\nline two\r\n"));

        assertEquals(lines(
                "---------- MESSAGE FOLLOWS ----------",
                "From: a@example.com",
                "Subject: hi",
                "X-Peer: 127.0.0.1",
                "",
                "line one",
                "line two",
                "------------ END MESSAGE ------------"), out);
    }

    @Test
    void printsMailOptionsAsAPythonListThenABlankLine() {
        String out = print(TestEnvelope.of("a@example.com", List.of("b@example.com"), "Subject: hi\r\n\r\nbody\r\n")
                .mailOptions("SIZE=100", "BODY=8BITMIME"));

        assertEquals(lines(
                "---------- MESSAGE FOLLOWS ----------",
                "mail options: ['SIZE=100', 'BODY=8BITMIME']",
                "",
                "Subject: hi",
                "X-Peer: 127.0.0.1",
                "",
                "body",
                "------------ END MESSAGE ------------"), out);
    }

    @Test
    void printsRcptOptionsAfterMailOptions() {
        String out = print(TestEnvelope.of("a@example.com", List.of("b@example.com"), "Subject: hi\r\n\r\nbody\r\n")
                .mailOptions("SMTPUTF8").rcptOptions("NOTIFY=NEVER"));

        assertEquals(lines(
                "---------- MESSAGE FOLLOWS ----------",
                "mail options: ['SMTPUTF8']",
                "rcpt options: ['NOTIFY=NEVER']",
                "",
                "Subject: hi",
                "X-Peer: 127.0.0.1",
                "",
                "body",
                "------------ END MESSAGE ------------"), out);
    }

    @Test
    void ignoresRcptOptionsThatAreAllEmpty() {
        String out = print(TestEnvelope.of("a@example.com", List.of("b@example.com"), "Subject: hi\r\n\r\nbody\r\n")
                .rcptOptions(""));

        assertEquals(lines(
                "---------- MESSAGE FOLLOWS ----------",
                "Subject: hi",
                "X-Peer: 127.0.0.1",
                "",
                "body",
                "------------ END MESSAGE ------------"), out);
    }

    @Test
    void printsNoXPeerWhenTheMessageHasNoEmptyLine() {
        String out = print(TestEnvelope.of("a@example.com", List.of("b@example.com"), "Subject: only\r\nTo: b\r\n"));

        assertEquals(lines(
                "---------- MESSAGE FOLLOWS ----------",
                "Subject: only",
                "To: b",
                "------------ END MESSAGE ------------"), out);
    }

    @Test
    void endsLinesAtCrlfBareCrAndBareLfAsPythonSplitlines() {
        String out = print(TestEnvelope.of("a@example.com", List.of("b@example.com"),
                "Subject: x\rTo: y\n\nbody\r\n\r\nlast"));

        assertEquals(lines(
                "---------- MESSAGE FOLLOWS ----------",
                "Subject: x",
                "To: y",
                "X-Peer: 127.0.0.1",
                "",
                "body",
                "",
                "last",
                "------------ END MESSAGE ------------"), out);
    }

    @Test
    void decodesUtf8AndReplacesInvalidBytes() {
        byte[] content = {'S', ':', ' ', (byte) 0xc3, (byte) 0xa9, '\r', '\n', '\r', '\n', 'x', (byte) 0xff, '\r',
            '\n'};
        String out = print(TestEnvelope.of("a@example.com", List.of("b@example.com"), content));

        assertEquals(lines(
                "---------- MESSAGE FOLLOWS ----------",
                "S: \u00e9",
                "X-Peer: 127.0.0.1",
                "",
                "x\ufffd",
                "------------ END MESSAGE ------------"), out);
    }

    @Test
    void printsAnEmptyMessageAsTheFrameAlone() {
        String out = print(TestEnvelope.of("a@example.com", List.of("b@example.com"), ""));

        assertEquals(lines("---------- MESSAGE FOLLOWS ----------", "------------ END MESSAGE ------------"), out);
    }

    @Test
    void quotesOptionsAsPythonRepr() {
        assertEquals("['a', \"it's\", 'q\"\\'', 'back\\\\slash', 'tab\\t']",
                PythonRepr.list(List.of("a", "it's", "q\"'", "back\\slash", "tab\t")));
    }

    @Test
    void printsOnTheExecutorAndAnswersAfterPrinting() throws Exception {
        QueuedExecutor executor = new QueuedExecutor();
        HookResult result = new Debugging(stream, executor).handleData(TestSession.from("127.0.0.1"),
                TestEnvelope.of("a@example.com", List.of("b@example.com"), "Subject: hi\r\n\r\nbody\r\n"));

        assertEquals(HookResult.Kind.LATER, result.kind());
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
        executor.runAll();
        assertSame(HookResult.proceed(), Hooks.settled(result));
        assertEquals(lines(
                "---------- MESSAGE FOLLOWS ----------",
                "Subject: hi",
                "X-Peer: 127.0.0.1",
                "",
                "body",
                "------------ END MESSAGE ------------"), printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsEachMessageWhole() throws Exception {
        Debugging debugging = new Debugging(stream);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    debugging.handleData(TestSession.from("127.0.0.1"), TestEnvelope.of("a@example.com",
                            List.of("b@example.com"), "Subject: " + id + "\r\n\r\nbody " + id + "\r\n"));
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(Hooks.WAIT_SECONDS));
        }
        String[] printedLines = printed.toString(StandardCharsets.UTF_8).split(EOL);
        assertEquals(100 * 6, printedLines.length);
        for (int m = 0; m < 100; m++) {
            String id = printedLines[m * 6 + 1].substring("Subject: ".length());
            assertEquals("body " + id, printedLines[m * 6 + 4]);
            assertEquals("------------ END MESSAGE ------------", printedLines[m * 6 + 5]);
        }
    }
}
