package io.smtpd.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.smtpd.api.HookResult;
import io.smtpd.api.reply.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MailboxTest {
    private static final String ADDED =
            "X-Peer: 127.0.0.1\r\nX-MailFrom: a@example.com\r\nX-RcptTo: b@example.com, c@example.com\r\n";

    @TempDir
    Path dir;

    private static TestEnvelope envelope(String content) {
        return TestEnvelope.of("a@example.com", List.of("b@example.com", "c@example.com"), content);
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    /** Delivers, waits for the answer, and returns the one file now in new/. */
    private String deliver(Mailbox mailbox, TestEnvelope envelope) throws Exception {
        assertSame(HookResult.proceed(), Hooks.settled(mailbox.handleData(TestSession.from("127.0.0.1"), envelope)));
        List<Path> delivered = files(mailbox.directory().resolve("new"));
        assertEquals(1, delivered.size(), "files in new/");
        assertEquals(List.of(), files(mailbox.directory().resolve("tmp")), "files in tmp/");
        return Files.readString(delivered.get(0), StandardCharsets.UTF_8);
    }

    @Test
    void createsTheMaildirAndItsMissingSubdirectories() throws Exception {
        Path maildir = dir.resolve("a/b/mail");
        Files.createDirectories(maildir.resolve("cur"));

        new Mailbox(maildir);

        for (String sub : List.of("cur", "new", "tmp")) {
            assertTrue(Files.isDirectory(maildir.resolve(sub)), sub);
        }
    }

    @Test
    void failsWhenTheMaildirCannotBeCreated() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");

        assertThrows(UncheckedIOException.class, () -> new Mailbox(file.resolve("mail")));
    }

    @Test
    void storesOneFileInNewWithTheHeadersAddedBeforeTheBody() throws Exception {
        String stored = deliver(new Mailbox(dir), envelope("From: a@example.com\r\nSubject: hi\r\n\r\nHello\r\n"));

        assertEquals("From: a@example.com\r\nSubject: hi\r\n" + ADDED + "\r\nHello\r\n", stored);
    }

    @Test
    void keepsTheBodyByteForByte() throws Exception {
        String body = ".starts with a dot\r\n\r\nbare\nlf and bare\rcr \u00e9\u4e2d\r\n\r\n\r\n";
        String stored = deliver(new Mailbox(dir), envelope("Subject: bytes\r\n\r\n" + body));

        assertEquals("Subject: bytes\r\n" + ADDED + "\r\n" + body, stored);
    }

    @Test
    void appendsTheHeadersToAMessageWithoutBody() throws Exception {
        String stored = deliver(new Mailbox(dir), envelope("Subject: no body\r\nTo: b@example.com\r\n"));

        assertEquals("Subject: no body\r\nTo: b@example.com\r\n" + ADDED, stored);
    }

    @Test
    void endsAnUnterminatedLastHeaderLineFirst() throws Exception {
        String stored = deliver(new Mailbox(dir), envelope("Subject: unterminated"));

        assertEquals("Subject: unterminated\r\n" + ADDED, stored);
    }

    @Test
    void separatesABodyThatHasNoHeaders() throws Exception {
        String stored = deliver(new Mailbox(dir), envelope("Hello, no headers here\r\n"));

        assertEquals(ADDED + "\r\nHello, no headers here\r\n", stored);
    }

    @Test
    void storesAnEmptyMessageAsTheAddedHeaders() throws Exception {
        assertEquals(ADDED, deliver(new Mailbox(dir), envelope("")));
    }

    @Test
    void usesTheMessagesOwnLineEnding() throws Exception {
        String stored = deliver(new Mailbox(dir), envelope("Subject: unix\n\nbody\n"));

        assertEquals("Subject: unix\n" + ADDED.replace("\r\n", "\n") + "\nbody\n", stored);
    }

    @Test
    void recordsTheNullSenderAndKeepsCrlfOutOfTheAddedHeaders() throws Exception {
        TestEnvelope envelope = TestEnvelope.of("<>", List.of("b@example.com\r\nBcc: evil@example.com"),
                "Subject: x\r\n\r\nbody\r\n");
        String stored = deliver(new Mailbox(dir), envelope);

        assertEquals("Subject: x\r\nX-Peer: 127.0.0.1\r\nX-MailFrom: <>\r\n"
                + "X-RcptTo: b@example.com  Bcc: evil@example.com\r\n\r\nbody\r\n", stored);
    }

    @Test
    void namesFilesAsMaildirDoes() throws Exception {
        Mailbox mailbox = new Mailbox(dir);
        deliver(mailbox, envelope("Subject: x\r\n\r\nbody\r\n"));

        String name = files(dir.resolve("new")).get(0).getFileName().toString();
        assertTrue(name.matches("\\d+\\.M\\d+P" + ProcessHandle.current().pid() + "Q\\d+\\.[^/:]+"), name);
    }

    @Test
    void answersOnlyOnceTheFileIsInNewAndWritesOffTheHookThread() throws Exception {
        QueuedExecutor executor = new QueuedExecutor();
        Mailbox mailbox = new Mailbox(dir, executor);

        HookResult result = mailbox.handleData(TestSession.from("127.0.0.1"), envelope("Subject: x\r\n\r\nb\r\n"));

        assertEquals(HookResult.Kind.LATER, result.kind());
        assertFalse(result.stage().toCompletableFuture().isDone());
        assertEquals(List.of(), files(dir.resolve("new")));
        assertEquals(List.of(), files(dir.resolve("tmp")));
        executor.runAll();
        assertSame(HookResult.proceed(), Hooks.settled(result));
        assertEquals(1, files(dir.resolve("new")).size());
    }

    @Test
    void answers451AndLeavesNothingWhenTheFileCannotBeWritten() throws Exception {
        Mailbox mailbox = new Mailbox(dir);
        Files.delete(dir.resolve("tmp"));

        Reply reply = Hooks.reply(mailbox.handleData(TestSession.from("127.0.0.1"), envelope("Subject: x\r\n\r\nb\r\n")));

        assertEquals(Mailbox.STORE_FAILED, reply);
        assertEquals(451, reply.code());
        assertEquals("4.3.0 Error: could not store message", reply.text());
        assertEquals(List.of(), files(dir.resolve("new")));
    }

    @Test
    void answers451AndRemovesTheTemporaryFileWhenTheRenameFails() throws Exception {
        Mailbox mailbox = new Mailbox(dir);
        Files.delete(dir.resolve("new"));
        Files.writeString(dir.resolve("new"), "not a directory");

        Reply reply = Hooks.reply(mailbox.handleData(TestSession.from("127.0.0.1"), envelope("Subject: x\r\n\r\nb\r\n")));

        assertEquals(Mailbox.STORE_FAILED, reply);
        assertEquals(List.of(), files(dir.resolve("tmp")));
    }

    @Test
    void answers451WhenTheExecutorIsSaturated() throws Exception {
        Mailbox mailbox = new Mailbox(dir, task -> {
            throw new RejectedExecutionException("full");
        });

        assertEquals(Mailbox.STORE_FAILED,
                Hooks.reply(mailbox.handleData(TestSession.from("127.0.0.1"), envelope("Subject: x\r\n\r\nb\r\n"))));
        assertEquals(List.of(), files(dir.resolve("new")));
    }

    @Test
    void storesFiftyConcurrentMessagesAsFiftyDistinctFiles() throws Exception {
        Mailbox first = new Mailbox(dir);
        Mailbox second = new Mailbox(dir); // a second instance on the same Maildir must not collide either
        ExecutorService clients = Executors.newFixedThreadPool(5);
        try {
            List<Future<HookResult>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Mailbox mailbox = i % 2 == 0 ? first : second;
                TestEnvelope envelope = envelope("Subject: message " + i + "\r\n\r\nbody " + i + "\r\n");
                results.add(clients.submit(() -> Hooks.settled(
                        mailbox.handleData(TestSession.from("127.0.0.1"), envelope))));
            }
            for (Future<HookResult> result : results) {
                assertSame(HookResult.proceed(), result.get(Hooks.WAIT_SECONDS, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }

        List<Path> delivered = files(dir.resolve("new"));
        assertEquals(50, delivered.size());
        assertEquals(List.of(), files(dir.resolve("tmp")));
        Set<String> subjects = new HashSet<>();
        for (Path file : delivered) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String subject = text.substring(0, text.indexOf("\r\n"));
            String number = subject.substring("Subject: message ".length());
            assertTrue(text.endsWith("\r\n" + ADDED + "\r\nbody " + number + "\r\n"), text);
            subjects.add(subject);
        }
        assertEquals(50, subjects.size());
    }
}
