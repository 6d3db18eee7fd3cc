package io.smtpd.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import io.smtpd.impl.data.LineReader;

/** The command-line framer: nanoseconds per command line. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class LineReaderBench {
    private static final int HARD_LIMIT = 12 * 1024;

    private LineReader reader;
    /** One command per read, as a client that waits for each reply sends them (smtp-source). */
    private ByteBuffer mail;
    private ByteBuffer rcpt;
    private ByteBuffer data;
    /** The same three pipelined in one read. */
    private ByteBuffer pipelined;
    /** One line cut in two reads. */
    private ByteBuffer head;
    private ByteBuffer tail;

    @Setup
    public void setUp() {
        reader = new LineReader(HARD_LIMIT);
        mail = Messages.buffer("MAIL FROM:<foo@bench.test>\r\n");
        rcpt = Messages.buffer("RCPT TO:<foo@bench.test>\r\n");
        data = Messages.buffer("DATA\r\n");
        pipelined = Messages.buffer("MAIL FROM:<foo@bench.test>\r\nRCPT TO:<foo@bench.test>\r\nDATA\r\n");
        head = Messages.buffer("MAIL FROM:<foo@be");
        tail = Messages.buffer("nch.test>\r\n");
    }

    @Benchmark
    @OperationsPerInvocation(3)
    public void oneLinePerRead(Blackhole bh) {
        bh.consume(reader.read(mail.clear()));
        bh.consume(reader.read(rcpt.clear()));
        bh.consume(reader.read(data.clear()));
    }

    @Benchmark
    @OperationsPerInvocation(3)
    public void pipelined(Blackhole bh) {
        ByteBuffer in = pipelined.clear();
        bh.consume(reader.read(in));
        bh.consume(reader.read(in));
        bh.consume(reader.read(in));
    }

    @Benchmark
    public byte[] splitLine() {
        reader.read(head.clear());
        return reader.read(tail.clear());
    }
}
