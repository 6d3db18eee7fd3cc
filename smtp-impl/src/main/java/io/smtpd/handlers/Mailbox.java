package io.smtpd.handlers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.api.reply.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores each message in a Maildir, as aiosmtpd's {@code Mailbox} handler does, with {@code X-Peer},
 * {@code X-MailFrom} and {@code X-RcptTo} added at the end of its header block.
 *
 * <p>A message is written to {@code tmp/}, forced to disk and then renamed atomically into {@code new/}, so a
 * reader never sees half a message; the 250 is sent only after that. The disk work runs on an executor, never on
 * the server's I/O thread. When the message cannot be stored the client gets {@code 451} and nothing is left
 * behind in {@code tmp/} or {@code new/}.
 */
public final class Mailbox implements Handler {
    static final Reply STORE_FAILED = Reply.parse("451 4.3.0 Error: could not store message");
    private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);

    private final Path directory;
    private final Path tmp;
    private final Path incoming;
    private final Executor executor;

    /** A Maildir at {@code directory}, written on {@link HandlerExecutors#shared()}. */
    public Mailbox(Path directory) {
        this(directory, HandlerExecutors.shared());
    }

    /**
     * A Maildir at {@code directory}, written on {@code executor}. Creates the directory and its missing
     * {@code cur/}, {@code new/} and {@code tmp/}.
     *
     * @throws UncheckedIOException when they cannot be created
     */
    public Mailbox(Path directory, Executor executor) {
        this.directory = directory.toAbsolutePath().normalize();
        this.tmp = this.directory.resolve("tmp");
        this.incoming = this.directory.resolve("new");
        this.executor = Objects.requireNonNull(executor, "executor");
        try {
            for (String sub : List.of("cur", "new", "tmp")) {
                Files.createDirectories(this.directory.resolve(sub));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Maildir " + this.directory, e);
        }
    }

    /** The Maildir's directory. */
    public Path directory() {
        return directory;
    }

    @Override
    public HookResult handleData(Session session, Envelope envelope) {
        // Read the session and the envelope here, on the hook's thread; the worker sees only these values.
        byte[] content = Content.of(envelope);
        List<String> fields = List.of(
                HeaderInsertion.field("X-Peer", ClientIp.of(session)),
                HeaderInsertion.field("X-MailFrom", envelope.mailFrom()),
                HeaderInsertion.field("X-RcptTo", String.join(", ", envelope.rcptTos())));
        return Offload.run(executor, STORE_FAILED, LOG, result -> result.complete(store(content, fields)));
    }

    private HookResult store(byte[] content, List<String> fields) {
        byte[] message = HeaderInsertion.locate(content).insertInto(content, fields);
        String name = MaildirNames.next();
        Path staged = tmp.resolve(name);
        try {
            writeDurably(staged, message);
            Files.move(staged, incoming.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not store a message in {}: {}", directory, e.toString());
            deleteQuietly(staged);
            return HookResult.reply(STORE_FAILED);
        }
        syncDirectory(incoming);
        LOG.debug("Stored {} ({} octets) in {}", name, message.length, incoming);
        return HookResult.proceed();
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory (not on Windows). */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            LOG.trace("Cannot sync directory {}: {}", dir, e.toString());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", file, e.toString());
        }
    }

    @Override
    public String toString() {
        return "Mailbox[" + directory + "]";
    }
}
