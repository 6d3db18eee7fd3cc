package io.smtpd.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

    private static Map<String, Object> props(String... args) throws UsageException {
        return CommandLine.parse(args).properties();
    }

    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> CommandLine.parse(args)).getMessage();
    }

    private static String abs(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    // ---- no options, help ----------------------------------------------------------------------------------------

    @Test
    void noOptionsLeaveEverythingToTheDefaults() throws Exception {
        CommandLine cl = CommandLine.parse();
        assertEquals(Map.of(), cl.properties());
        assertFalse(cl.help());
        assertEquals(0, cl.debug());
    }

    @Test
    void help() throws Exception {
        assertTrue(CommandLine.parse("-h").help());
        assertTrue(CommandLine.parse("--help").help());
        assertTrue(CommandLine.parse("-c", "sink", "--help", "--bogus").help(), "help stops the parsing");
        assertTrue(CommandLine.parse("-uh").help());
        assertEquals("option --help takes no value", error("--help=yes"));
    }

    @Test
    void usageListsEveryOption() {
        String usage = CommandLine.usage();
        for (String option : new String[] {"-l, --listen HOST:PORT", "-c, --handler SPEC", "-s, --size BYTES",
                "-u, --smtputf8", "-d, --debug", "--hostname NAME", "--ident TEXT", "--tlscert PEM", "--tlskey PEM",
                "--no-requiretls", "--smtpscert PEM", "--smtpskey PEM", "--auth-file FILE", "--auth-required",
                "--no-auth-require-tls", "--lmtp", "--proxy-protocol SECONDS", "--timeout SECONDS", "--decode-data",
                "--max-connections N", "-h, --help"}) {
            assertTrue(usage.contains(option), option);
        }
    }

    // ---- -l / --listen --------------------------------------------------------------------------------------------

    @Test
    void listen() throws Exception {
        assertEquals(Map.of("listen", "127.0.0.1:2525"), props("-l", "127.0.0.1:2525"));
        assertEquals(Map.of("listen", "localhost:25"), props("--listen", "localhost:25"));
        assertEquals(Map.of("listen", "localhost:25"), props("--listen=localhost:25"));
        assertEquals(Map.of("listen", "localhost:25"), props("-llocalhost:25"));
        assertEquals(Map.of("listen", "localhost:25"), props("-l=localhost:25"));
        assertEquals(Map.of("listen", "0.0.0.0:0"), props("-l", "0.0.0.0:0"));
        assertEquals(Map.of("listen", "example.org:65535"), props("-l", "example.org:65535"));
    }

    @Test
    void listenIpv6() throws Exception {
        assertEquals(Map.of("listen", "[::1]:8025"), props("-l", "[::1]:8025"));
        assertEquals(Map.of("listen", "[::]:25"), props("-l", "[::]:25"));
        assertEquals(Map.of("listen", "[fe80::1%eth0]:25"), props("-l", "[fe80::1%eth0]:25"));
        assertEquals(Map.of("listen", "[::1]:8025"), props("-l", "[::1]"), "port defaults as in aiosmtpd");
    }

    @Test
    void listenWithoutPortUses8025() throws Exception {
        assertEquals(Map.of("listen", "localhost:8025"), props("-l", "localhost"));
    }

    @Test
    void listenLastWins() throws Exception {
        assertEquals(Map.of("listen", "b:2"), props("-l", "a:1", "-l", "b:2"));
    }

    @Test
    void listenErrors() {
        assertEquals("option -l: port out of range (0-65535): 65536", error("-l", "localhost:65536"));
        assertEquals("option -l: port out of range (0-65535): 99999999999", error("-l", "localhost:99999999999"));
        assertEquals("option --listen: not a port number: 'x'", error("--listen", "localhost:x"));
        assertEquals("option -l: not a port number: '-1'", error("-l", "localhost:-1"));
        assertEquals("option -l: not a port number: ''", error("-l", "localhost:"));
        assertEquals("option -l: missing host in ':25' (expected HOST:PORT)", error("-l", ":25"));
        assertEquals("option -l: missing host in '' (expected HOST:PORT)", error("-l", ""));
        assertTrue(error("-l", "::1:25").contains("needs brackets"));
        assertTrue(error("-l", "[::1:25").contains("missing ']'"));
        assertTrue(error("-l", "[::1]25").contains("expected :PORT"));
        assertTrue(error("-l", "[]:25").contains("not an IPv6 address"));
        assertTrue(error("-l", "[localhost]:25").contains("not an IPv6 address"));
        assertTrue(error("-l", "local host:25").contains("not a host name"));
        assertEquals("option --listen needs a value (HOST:PORT)", error("--listen"));
        assertEquals("option --listen needs a value (HOST:PORT)", error("--listen", "-c", "sink"));
    }

    // ---- -c / --handler -------------------------------------------------------------------------------------------

    @Test
    void handler() throws Exception {
        assertEquals(Map.of("handler", "sink"), props("-c", "sink"));
        assertEquals(Map.of("handler", "debugging"), props("--handler", "debugging"));
        assertEquals(Map.of("handler", "sink"), props("--handler=sink"));
        assertEquals(Map.of("handler", "sink"), props("-csink"));
    }

    @Test
    void mailboxDirectoryIsMadeAbsolute() throws Exception {
        assertEquals(Map.of("handler", "mailbox:" + abs("mail")), props("-c", "mailbox:mail"));
        assertEquals(Map.of("handler", "mailbox:/var/mail/x"), props("-c", "mailbox:/var/mail/x"));
        assertEquals(Map.of("handler", "mailbox:" + abs("a:b")), props("-c", "mailbox:a:b"));
    }

    @Test
    void proxyHandler() throws Exception {
        assertEquals(Map.of("handler", "proxy:smtp.example.org:25"), props("-c", "proxy:smtp.example.org:25"));
        assertEquals(Map.of("handler", "proxy:[::1]:2525"), props("-c", "proxy:[::1]:2525"));
    }

    @Test
    void handlerErrors() {
        assertEquals("option -c: unknown handler 'foo' (expected sink, debugging, mailbox:DIR or proxy:HOST:PORT)",
                error("-c", "foo"));
        assertTrue(error("--handler", "Sink").contains("unknown handler 'Sink'"));
        assertTrue(error("-c", "").contains("unknown handler ''"));
        assertEquals("option -c: mailbox:DIR needs a directory", error("-c", "mailbox:"));
        assertEquals("option -c: missing port in 'localhost' (expected HOST:PORT)", error("-c", "proxy:localhost"));
        assertEquals("option -c: port out of range (1-65535): 0", error("-c", "proxy:localhost:0"));
        assertTrue(error("-c", "proxy::25").contains("missing host"));
        assertEquals("option -c needs a value (SPEC)", error("-c"));
    }

    // ---- -s / --size ----------------------------------------------------------------------------------------------

    @Test
    void size() throws Exception {
        assertEquals(Map.of("size", 1000L), props("-s", "1000"));
        assertEquals(Map.of("size", 0L), props("--size", "0"));
        assertEquals(Map.of("size", 10_000_000_000L), props("--size=10000000000"));
        assertEquals(Long.class, props("-s", "1").get("size").getClass());
    }

    @Test
    void sizeErrors() {
        assertEquals("option -s: must not be negative: -1", error("-s", "-1"));
        assertEquals("option -s: not a number of bytes: 'abc'", error("-s", "abc"));
        assertEquals("option --size: not a number of bytes: '1.5'", error("--size", "1.5"));
        assertEquals("option --size: not a number of bytes: '99999999999999999999'",
                error("--size", "99999999999999999999"));
        assertEquals("option --size needs a value (BYTES)", error("--size"));
    }

    // ---- flags ----------------------------------------------------------------------------------------------------

    @Test
    void smtputf8() throws Exception {
        assertEquals(Map.of("smtputf8", true), props("-u"));
        assertEquals(Map.of("smtputf8", true), props("--smtputf8"));
        assertEquals("option --smtputf8 takes no value", error("--smtputf8=yes"));
    }

    @Test
    void decodeData() throws Exception {
        assertEquals(Map.of("decode.data", true), props("--decode-data"));
        assertEquals(Boolean.class, props("--decode-data").get("decode.data").getClass());
        assertEquals("option --decode-data takes no value", error("--decode-data=1"));
    }

    @Test
    void debugCounts() throws Exception {
        assertEquals(1, CommandLine.parse("-d").debug());
        assertEquals(Map.of("debug", 1), props("--debug"));
        assertEquals(Map.of("debug", 3), props("-d", "--debug", "-d"));
        assertEquals(Map.of("debug", 2), props("-dd"));
        assertEquals(Integer.class, props("-d").get("debug").getClass());
        assertEquals("option --debug takes no value", error("--debug=2"));
    }

    @Test
    void clusteredShortOptions() throws Exception {
        assertEquals(Map.of("smtputf8", true, "debug", 2, "listen", "h:1"), props("-udd", "-l", "h:1"));
        assertEquals(Map.of("smtputf8", true, "size", 5L), props("-us5"));
        assertEquals(Map.of("smtputf8", true, "size", 5L), props("-us", "5"));
        assertEquals("unknown option -x", error("-ux"));
    }

    // ---- --hostname, --ident --------------------------------------------------------------------------------------

    @Test
    void hostnameAndIdent() throws Exception {
        assertEquals(Map.of("hostname", "mx.example.org"), props("--hostname", "mx.example.org"));
        assertEquals(Map.of("hostname", "mx"), props("--hostname=mx"));
        assertEquals(Map.of("ident", "My SMTP 1.0"), props("--ident", "My SMTP 1.0"));
        assertEquals(Map.of("ident", "a=b"), props("--ident=a=b"));
        assertEquals(Map.of("ident", ""), props("--ident="));
        assertEquals(Map.of("ident", "-x-"), props("--ident=-x-"));
    }

    @Test
    void hostnameErrors() {
        assertEquals("option --hostname needs a non-empty value", error("--hostname", ""));
        assertEquals("option --hostname needs a value (NAME)", error("--hostname"));
        assertEquals("option --ident needs a value (TEXT)", error("--ident"));
    }

    // ---- --timeout ------------------------------------------------------------------------------------------------

    @Test
    void timeout() throws Exception {
        assertEquals(Map.of("timeout", 2.5), props("--timeout", "2.5"));
        assertEquals(Map.of("timeout", 300.0), props("--timeout=300"));
        assertEquals(Map.of("timeout", 0.5), props("--timeout", ".5"));
        assertEquals(Double.class, props("--timeout", "1").get("timeout").getClass());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "-0.5", "NaN", "Infinity"})
    void timeoutMustBePositive(String value) {
        assertEquals("option --timeout: must be a number of seconds above 0: " + value, error("--timeout", value));
    }

    @Test
    void timeoutErrors() {
        assertEquals("option --timeout: not a number of seconds: 'soon'", error("--timeout", "soon"));
        assertEquals("option --timeout needs a value (SECONDS)", error("--timeout"));
    }

    // ---- --max-connections ----------------------------------------------------------------------------------------

    @Test
    void maxConnections() throws Exception {
        assertEquals(Map.of("max.connections", 10), props("--max-connections", "10"));
        assertEquals(Map.of("max.connections", 0), props("--max-connections=0"));
        assertEquals(Integer.class, props("--max-connections", "1").get("max.connections").getClass());
    }

    @Test
    void maxConnectionsErrors() {
        assertEquals("option --max-connections: must not be negative: -3", error("--max-connections", "-3"));
        assertEquals("option --max-connections: not a whole number: 'many'", error("--max-connections", "many"));
        assertEquals("option --max-connections: not a whole number: '1.5'", error("--max-connections", "1.5"));
        assertEquals("option --max-connections: not a whole number: '3000000000'",
                error("--max-connections", "3000000000"));
        assertEquals("option --max-connections needs a value (N)", error("--max-connections"));
    }

    @Test
    void lmtpAndProxyProtocol() throws Exception {
        assertEquals(Map.of("lmtp", true), props("--lmtp"));
        assertEquals(Map.of("proxy.protocol", 2.5), props("--proxy-protocol", "2.5"));
        assertEquals(Map.of("proxy.protocol", 5.0), props("--proxy-protocol=5"));
        assertEquals(Map.of("lmtp", true, "proxy.protocol", 3.0), props("--lmtp", "--proxy-protocol", "3"));
    }

    @Test
    void tlsAndAuthOptionsWriteTheirProperties() throws Exception {
        Map<String, Object> p = props("--tlscert", "c.pem", "--tlskey", "k.pem", "--no-requiretls",
                "--smtpscert", "s.pem", "--smtpskey", "sk.pem", "--auth-file", "users", "--auth-required",
                "--no-auth-require-tls");
        assertEquals(abs("c.pem"), p.get("tlscert"));
        assertEquals(abs("sk.pem"), p.get("smtpskey"));
        assertEquals(false, p.get("requiretls"));
        assertEquals(abs("users"), p.get("auth.file"));
        assertEquals(true, p.get("auth.required"));
        assertEquals(false, p.get("auth.require.tls"));
    }

    @Test
    void tlsAuthLmtpAndProxyOptionsAreValidated() {
        assertEquals("option --tlscert needs --tlskey as well", error("--tlscert", "c.pem"));
        assertEquals("option --tlskey needs --tlscert as well", error("--tlskey", "k.pem"));
        assertEquals("option --smtpscert needs --smtpskey as well", error("--smtpscert", "c.pem"));
        assertEquals("option --smtpskey needs --smtpscert as well", error("--smtpskey", "k.pem"));
        assertEquals("option --proxy-protocol: must be a number of seconds above 0: 0", error("--proxy-protocol", "0"));
        assertEquals("option --proxy-protocol: not a number of seconds: 'x'", error("--proxy-protocol", "x"));
        assertEquals("option --auth-file needs a non-empty value", error("--auth-file", ""));
        assertEquals("option --lmtp takes no value", error("--lmtp=yes"));
        assertEquals("option --tlscert needs a value (PEM)", error("--tlscert"));
    }

    @Test
    void allTheseOptionsTogetherWriteTheirProperties() throws Exception {
        Map<String, Object> p = CommandLine.parse("--tlscert", "c.pem", "--tlskey", "k.pem",
                "--no-requiretls", "--smtpscert", "/etc/s.pem", "--smtpskey", "/etc/sk.pem", "--auth-file", "users",
                "--auth-required", "--no-auth-require-tls", "--lmtp", "--proxy-protocol", "2.5").properties();
        assertEquals(abs("c.pem"), p.get("tlscert"));
        assertEquals(abs("k.pem"), p.get("tlskey"));
        assertEquals(false, p.get("requiretls"));
        assertEquals("/etc/s.pem", p.get("smtpscert"));
        assertEquals("/etc/sk.pem", p.get("smtpskey"));
        assertEquals(abs("users"), p.get("auth.file"));
        assertEquals(true, p.get("auth.required"));
        assertEquals(false, p.get("auth.require.tls"));
        assertEquals(true, p.get("lmtp"));
        assertEquals(2.5, p.get("proxy.protocol"));
        assertEquals(Double.class, p.get("proxy.protocol").getClass());
        assertEquals(10, p.size());
    }

    // ---- general errors -------------------------------------------------------------------------------------------

    @Test
    void unknownOptions() {
        assertEquals("unknown option --bogus", error("--bogus"));
        assertEquals("unknown option --bogus", error("--bogus=1"));
        assertEquals("unknown option -x", error("-x"));
        assertEquals("unknown option --list", error("--list", "h:1"), "no abbreviations");
    }

    @Test
    void positionalArgumentsAreRefused() {
        assertEquals("unexpected argument 'extra'", error("extra"));
        assertEquals("unexpected argument '-'", error("-"));
        assertEquals("unexpected argument 'x'", error("--", "x"));
    }

    @Test
    void doubleDashAloneEndsTheOptions() throws Exception {
        assertEquals(Map.of("handler", "sink"), props("-c", "sink", "--"));
    }

    @Test
    void allTypesTogether() throws Exception {
        Map<String, Object> p = props("-l", "[::1]:2525", "-c", "sink", "-s", "100", "-u", "-d", "--hostname", "h",
                "--ident", "i", "--timeout", "1.5", "--decode-data", "--max-connections", "7");
        assertEquals("[::1]:2525", p.get("listen"));
        assertEquals("sink", p.get("handler"));
        assertEquals(100L, p.get("size"));
        assertEquals(true, p.get("smtputf8"));
        assertEquals(1, p.get("debug"));
        assertEquals("h", p.get("hostname"));
        assertEquals("i", p.get("ident"));
        assertEquals(1.5, p.get("timeout"));
        assertEquals(true, p.get("decode.data"));
        assertEquals(7, p.get("max.connections"));
        assertEquals(10, p.size());
    }
}
