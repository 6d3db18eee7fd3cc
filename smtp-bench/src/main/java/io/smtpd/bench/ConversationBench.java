package io.smtpd.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.smtpd.api.Handler;
import io.smtpd.handlers.Sink;
import io.smtpd.impl.command.BuiltinCommands;
import io.smtpd.impl.protocol.CommandTable;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.ServerContext;
import io.smtpd.impl.server.ServerRuntime;
import io.smtpd.server.ServerSettings;

/**
 * The protocol state machine without sockets, with the sink handler: what the server does per message above MINA.
 * {@code transaction}: MAIL, RCPT, DATA, the message, on a session that said HELO (smtp-source -d);
 * {@code session}: a whole session per message, greeting to QUIT (smtp-source without -d).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class ConversationBench {
    private static final Handler SINK = new Sink();

    /** Body octets. */
    @Param({"1024"})
    public int size;

    /** Whether replies carry RFC 3463 codes. */
    @Param({"false"})
    public boolean enhancedStatusCodes;

    private ScheduledThreadPoolExecutor timer;
    private ServerContext server;
    private BenchConnection connection;
    private ByteBuffer helo;
    private ByteBuffer mail;
    private ByteBuffer rcpt;
    private ByteBuffer data;
    private ByteBuffer quit;
    private ByteBuffer[] message;

    @Setup(Level.Trial)
    public void setUp() {
        ServerSettings settings = ServerSettings.builder().enhancedStatusCodes(enhancedStatusCodes).build();
        CommandTable table = BuiltinCommands.table(settings).build();
        timer = ServerRuntime.newTimer("bench");
        server = new ServerContext("bench", settings, "mx.bench.test", "smtpd bench", () -> SINK, () -> table,
                () -> null, timer);
        helo = Messages.buffer("HELO client.bench.test\r\n");
        mail = Messages.buffer("MAIL FROM:<foo@bench.test>\r\n");
        rcpt = Messages.buffer("RCPT TO:<foo@bench.test>\r\n");
        data = Messages.buffer("DATA\r\n");
        quit = Messages.buffer("QUIT\r\n");
        message = Messages.chunks(Messages.dataSection(size), 8192);
        connection = open();
        connection.feed(helo.clear());
        int before = connection.replies;
        transaction();
        if (connection.replies - before != 4 || connection.lastCode != 250) {
            throw new IllegalStateException("the transaction was not accepted: last reply " + connection.lastCode);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        timer.shutdownNow();
    }

    private BenchConnection open() {
        BenchConnection c = new BenchConnection(enhancedStatusCodes);
        c.conversation = new Conversation(server, c);
        c.conversation.start();
        return c;
    }

    @Benchmark
    public int transaction() {
        BenchConnection c = connection;
        c.feed(mail.clear());
        c.feed(rcpt.clear());
        c.feed(data.clear());
        for (ByteBuffer chunk : message) {
            c.feed(chunk.clear());
        }
        return c.lastCode;
    }

    @Benchmark
    public int session() {
        BenchConnection c = open();
        c.feed(helo.clear());
        c.feed(mail.clear());
        c.feed(rcpt.clear());
        c.feed(data.clear());
        for (ByteBuffer chunk : message) {
            c.feed(chunk.clear());
        }
        c.feed(quit.clear());
        c.conversation.onClosed();
        return c.lastCode;
    }
}
