package io.smtpd.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the exported {@code target/smtp-server.jar} as {@code CLI.md} describes it: in an empty working directory, with
 * a private {@code java.io.tmpdir}, and checks readiness, SMTP, SIGTERM, exit statuses and that nothing is left behind.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SmtpServerJarIT {
    private static final Path JAR = Path.of(System.getProperty("smtpd.server.jar", "target/smtp-server.jar"))
            .toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path temp;
    private Path workDir;
    private Path tmpDir;
    private Path stdout;
    private Path stderr;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        assertTrue(Files.isRegularFile(JAR), "build the jar first (mvn package): " + JAR);
        workDir = Files.createDirectory(temp.resolve("work"));
        tmpDir = Files.createDirectory(temp.resolve("tmp"));
        stdout = temp.resolve("stdout.txt");
        stderr = temp.resolve("stderr.txt");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void servesSmtpAndExitsZeroOnSigterm() throws Exception {
        int port = freePort();
        long start = System.nanoTime();
        Process server = start("-l", "127.0.0.1:" + port, "-c", "sink");
        awaitPort(server, port, 30_000);
        System.out.printf("smtp-server.jar accepted TCP after %d ms%n", (System.nanoTime() - start) / 1_000_000);

        // A probe that connects and closes at once must be tolerated.
        new Socket(InetAddress.getLoopbackAddress(), port).close();

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            String greeting = in.readLine();
            assertTrue(greeting != null && greeting.startsWith("220 "), "greeting: " + greeting);
            out.write("EHLO it.example\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line;
            do {
                line = in.readLine();
                assertTrue(line != null && line.startsWith("250"), "EHLO reply: " + line);
            } while (line.charAt(3) == '-');
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            line = in.readLine();
            assertTrue(line != null && line.startsWith("221"), "QUIT reply: " + line);
        }
        // the log is buffered, and flushed every 100 ms: the session's summary line arrives while the server runs
        long logDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!read(stderr).contains(", QUIT\n") && System.nanoTime() < logDeadline) {
            Thread.sleep(20);
        }
        assertTrue(read(stderr).contains(", QUIT\n"), "the session's summary line; stderr:\n" + read(stderr));

        long stop = System.nanoTime();
        server.destroy(); // SIGTERM
        assertTrue(server.waitFor(15, TimeUnit.SECONDS), "still running 15 s after SIGTERM");
        long stopMillis = (System.nanoTime() - stop) / 1_000_000;
        assertEquals(0, server.exitValue(), "exit status after SIGTERM; stderr:\n" + read(stderr));
        assertTrue(stopMillis < 10_000, "SIGTERM to exit took " + stopMillis + " ms");
        assertTrue(read(stderr).contains("cli stopped"), "the last lines are flushed at exit; stderr:\n" + read(stderr));
        assertEmpty(workDir);
        assertEmpty(tmpDir);
        assertEquals("", read(stdout), "the sink handler prints nothing");
    }

    @Test
    void badOptionExitsTwoWithAMessage() throws Exception {
        Process p = start("--bogus");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "a usage error must end the process");
        assertEquals(2, p.exitValue());
        String err = read(stderr);
        assertTrue(err.contains("smtp-server: unknown option --bogus"), "stderr: " + err);
        assertTrue(err.contains("--help"), "a usage hint: " + err);
        assertEquals("", read(stdout));
        assertEmpty(workDir);
        assertEmpty(tmpDir);
    }

    @Test
    void badValueExitsTwo() throws Exception {
        Process p = start("-l", "127.0.0.1:" + freePort(), "-c", "foo");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertTrue(read(stderr).contains("smtp-server: option -c: unknown handler 'foo'"), read(stderr));
    }

    /** LMTP behind the PROXY protocol, configured from the command line: one reply per recipient, X-Peer. */
    @Test
    void lmtpWithProxyProtocol() throws Exception {
        int port = freePort();
        Process server = start("-l", "127.0.0.1:" + port, "-c", "debugging", "--lmtp", "--proxy-protocol", "5");
        awaitPort(server, port, 30_000); // a probe: connects and closes before any header
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            out.write(("PROXY TCP4 192.0.2.9 198.51.100.1 40000 24\r\nLHLO it.example\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String greeting = in.readLine();
            assertTrue(greeting != null && greeting.startsWith("220 "), "greeting: " + greeting);
            String line;
            do {
                line = in.readLine();
                assertTrue(line != null && line.startsWith("250"), "LHLO reply: " + line);
            } while (line.charAt(3) == '-');
            out.write(("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\n"
                    + "DATA\r\nSubject: it\r\n\r\nhello\r\n.\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                replies.add(in.readLine());
            }
            // ENHANCEDSTATUSCODES is on by default: aiosmtpd's texts behind RFC 3463 codes
            assertEquals(List.of("250 2.1.0 OK", "250 2.1.5 OK", "250 2.1.5 OK",
                    "354 End data with <CR><LF>.<CR><LF>", "250 2.6.0 OK", "250 2.6.0 OK", "221 2.0.0 Bye"), replies);
        }
        server.destroy();
        assertTrue(server.waitFor(15, TimeUnit.SECONDS));
        assertEquals(0, server.exitValue(), read(stderr));
        assertTrue(read(stdout).contains("X-Peer: 192.0.2.9"), read(stdout));
    }

    @Test
    void helpPrintsUsageToStdoutAndExitsZero() throws Exception {
        Process p = start("--help");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), read(stderr));
        String out = read(stdout);
        assertTrue(out.startsWith("Usage: java -jar smtp-server.jar [options]"), out);
        assertTrue(out.contains("--max-connections N"), out);
        assertEmpty(workDir);
        assertEmpty(tmpDir);
    }

    @Test
    void portInUseExitsOnePromptly() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            long start = System.nanoTime();
            Process p = start("-l", "127.0.0.1:" + taken.getLocalPort(), "-c", "sink");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "a start failure must end the process");
            long millis = (System.nanoTime() - start) / 1_000_000;
            String err = read(stderr);
            assertEquals(1, p.exitValue(), "stderr: " + err);
            assertTrue(err.contains("smtp-server: cannot start"), "stderr: " + err);
            assertTrue(millis < 15_000, "took " + millis + " ms");
            System.out.printf("port in use: exit 1 after %d ms%n", millis);
        }
        assertEmpty(workDir);
        assertEmpty(tmpDir);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-Djava.io.tmpdir=" + tmpDir, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        processes.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    private void awaitPort(Process server, int port, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                if (!server.isAlive()) {
                    fail("server exited with " + server.exitValue() + " before accepting; stderr:\n" + read(stderr));
                }
                if (System.nanoTime() - deadline > 0) {
                    fail("port " + port + " not accepting after " + timeoutMillis + " ms; stderr:\n" + read(stderr));
                }
                Thread.sleep(20);
            }
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static void assertEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> left = entries.toList();
            assertTrue(left.isEmpty(), dir + " should be empty: " + left);
        }
    }
}
