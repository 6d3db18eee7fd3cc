package io.smtpd.fuzz;

import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Every fuzz target behind one entry point, for CI: Jazzer fuzzes a single test per JVM, and starting Maven and the
 * fuzzer once per target costs more than a CI budget of a few minutes allows, so CI fuzzes this one for a bounded
 * time. The first byte picks the target, the rest is that target's input; its corpus is the union of the targets'
 * seeds, each prefixed with its selector ({@link SeedCorpus}). The targets keep their own tests for focused fuzzing.
 */
class AllTargetsFuzzTest {
    /** A target's check, by selector (the input's first byte modulo their number). */
    interface Target {
        void check(byte[] input) throws Exception;
    }

    /** The targets, in selector order; {@link SeedCorpus} prefixes seeds with the index of their target here. */
    static final List<String> NAMES = List.of("dataReader", "commandLines", "address", "parameters", "proxyHeader",
            "base64", "plain", "login", "cramMd5", "session");

    @FuzzTest(maxDuration = "2m")
    void everything(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        List<Target> targets = Dispatch.TARGETS;
        targets.get((data[0] & 0xff) % targets.size()).check(Arrays.copyOfRange(data, 1, data.length));
    }

    /** Loaded on first use, so that {@link SeedCorpus} can read {@link #NAMES} without the targets' classes. */
    private static final class Dispatch {
        static final List<Target> TARGETS = List.of(
                DotReaderFuzzTest::check,
                LineReaderFuzzTest::check,
                AddressParserFuzzTest::check,
                ParametersFuzzTest::check,
                ProxyHeaderFuzzTest::check,
                AuthDecodingFuzzTest::checkBase64,
                AuthDecodingFuzzTest::checkPlain,
                AuthDecodingFuzzTest::checkLogin,
                AuthDecodingFuzzTest::checkCramMd5,
                SessionFuzzTest::check);
    }
}
