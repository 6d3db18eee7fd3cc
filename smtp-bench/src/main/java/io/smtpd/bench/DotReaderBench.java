package io.smtpd.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.smtpd.impl.data.DotReader;

/**
 * The DATA decoder: one whole message (dot-unstuffing, terminator search, limits) fed in read-sized chunks, as MINA
 * hands them over. {@code readAndTake} also takes the content as the DATA command does. Throughput in messages per
 * second: multiply by the message size for bytes per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class DotReaderBench {
    private static final long SIZE_LIMIT = 33_554_432;
    private static final int LINE_LIMIT = 1000;

    /** Body octets: 1 KB and 1 MB. */
    @Param({"1024", "1048576"})
    public int size;

    /** Octets per read (MINA's read buffer). */
    @Param({"8192"})
    public int chunk;

    private ByteBuffer[] chunks;

    @Setup
    public void setUp() {
        chunks = Messages.chunks(Messages.dataSection(size), chunk);
        DotReader check = new DotReader(SIZE_LIMIT, LINE_LIMIT);
        if (!feed(check) || check.content().length < size) {
            throw new IllegalStateException("the test message does not decode");
        }
    }

    private boolean feed(DotReader reader) {
        boolean done = false;
        for (ByteBuffer c : chunks) {
            c.clear();
            done = reader.read(c);
        }
        return done;
    }

    @Benchmark
    public long read() {
        DotReader reader = new DotReader(SIZE_LIMIT, LINE_LIMIT);
        feed(reader);
        return reader.size();
    }

    @Benchmark
    public int readAndTake() {
        DotReader reader = new DotReader(SIZE_LIMIT, LINE_LIMIT);
        feed(reader);
        return reader.content().length;
    }
}
