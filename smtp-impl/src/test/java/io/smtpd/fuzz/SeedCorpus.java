package io.smtpd.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.CRC32C;

/**
 * Writes the committed seed corpus of the fuzz tests: {@code src/test/resources/io/smtpd/fuzz/<Test>Inputs/<method>/},
 * Jazzer's layout, and the union of them all for {@link AllTargetsFuzzTest}. In regression mode (no {@code JAZZER_FUZZ}) each file is one test case; when fuzzing they are the
 * starting points. Each seed is the target's binary header followed by readable protocol bytes.
 *
 * <p>Regenerate (overwrites the {@code seed-*} files, leaves Jazzer's own {@code crash-*} findings alone):
 * <pre>
 * cd smtp-impl &amp;&amp; mvn -o -q test-compile &amp;&amp; java -cp target/test-classes io.smtpd.fuzz.SeedCorpus src/test/resources
 * </pre>
 */
public final class SeedCorpus {
    private static final int ALLOW = 0;
    private static final int NORMALIZE = 1;
    private static final int REJECT = 2;

    private final Path root;

    private SeedCorpus(Path root) {
        this.root = root.resolve("io/smtpd/fuzz");
    }

    public static void main(String[] args) throws IOException {
        SeedCorpus corpus = new SeedCorpus(Paths.get(args.length > 0 ? args[0] : "src/test/resources"));
        corpus.dotReader();
        corpus.lineReader();
        corpus.addresses();
        corpus.parameters();
        corpus.proxy();
        corpus.auth();
        corpus.session();
    }

    // ---- DATA ------------------------------------------------------------------------------------------------------

    private void dotReader() throws IOException {
        String[] messages = {
            "Subject: hi\r\n\r\nbody\r\n.\r\n",
            ".\r\n",
            "..leading dot\r\n...two\r\n.\r\n",
            "line\r\n.\r\nQUIT\r\n",
            "no terminator\r\n",
            "ends with dot\r\n.",
            "ends with dot cr\r\n.\r",
            // SMTP smuggling: none of these ends the message before the final CRLF.CRLF
            "a\n.\nMAIL FROM:<evil@x>\r\nRCPT TO:<v@y>\r\nDATA\r\nforged\r\n.\r\n",
            "a\r.\rMAIL FROM:<evil@x>\r\n.\r\n",
            "a\r\n.\nMAIL FROM:<evil@x>\r\n.\r\n",
            "a\n.\r\nMAIL FROM:<evil@x>\r\n.\r\n",
            "a\r\n.\r\r\nb\r\n.\r\n",
            "bare\rcr and bare\nlf\r\n.\r\n",
            "\r\r\n\n\r\n.\r\n",
            ".\r.\n.\r\n.\r\n",
        };
        int n = 0;
        for (String m : messages) {
            for (int policy : new int[] {ALLOW, NORMALIZE, REJECT}) {
                write("DotReaderFuzzTest", "dataReader", "seed-" + n++,
                        header(policy, 0, 0, 255, 0, 0, 0, 0, 0), m);
            }
            write("DotReaderFuzzTest", "dataReader", "seed-" + n++, header(NORMALIZE, 0, 0, 255, 1, 1, 1, 1, 2), m);
            write("DotReaderFuzzTest", "dataReader", "seed-" + n++, header(NORMALIZE, 0, 0, 255, 3, 7, 2, 5, 1), m);
        }
        String longLine = "x".repeat(300) + "\r\nshort\r\n.\r\n";
        write("DotReaderFuzzTest", "dataReader", "seed-" + n++, header(NORMALIZE, 0, 0, 79, 0, 0, 0, 0, 0), longLine);
        write("DotReaderFuzzTest", "dataReader", "seed-" + n++, header(ALLOW, 0, 40, 254, 5, 0, 0, 0, 0),
                "0123456789\r\n".repeat(10) + ".\r\n");
        write("DotReaderFuzzTest", "dataReader", "seed-" + n++, header(NORMALIZE, 0, 9, 7, 0, 0, 0, 0, 0),
                "abcdefghijklmno\r\n.\r\n");
        write("DotReaderFuzzTest", "dataReader", "seed-" + n++, header(NORMALIZE, 0, 9, 7, 4, 4, 4, 4, 0),
                "abcdefghijklmno\r\n.\r\n");
        // size limit 5 crossed at the 6th octet, line limit 8 at the 9th: 552 is due, whatever the cut
        write("DotReaderFuzzTest", "dataReader", "regression-limit-order", header(NORMALIZE, 0, 5, 7, 0, 0, 0, 0, 0),
                "abcdefghij\r\n.\r\n");
    }

    // ---- command lines -------------------------------------------------------------------------------------------

    private void lineReader() throws IOException {
        String[] streams = {
            "EHLO client.example\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n",
            "bare lf\nthen crlf\r\n\r\n\n",
            "cr\rin the middle\r\n",
            "partial at the end",
            "x".repeat(600) + "\r\nNOOP\r\n",
            "y".repeat(64) + "\r\n" + "z".repeat(65) + "\r\n" + "w".repeat(64) + "\n" + "v".repeat(65) + "\n",
            "NUL\0inside\r\n",
        };
        int n = 0;
        for (String s : streams) {
            write("LineReaderFuzzTest", "commandLines", "seed-" + n++, header(64, 0, 0, 0, 0, 0, 0), s);
            write("LineReaderFuzzTest", "commandLines", "seed-" + n++, header(64, 0, 1, 2, 3, 65, 1), s);
            write("LineReaderFuzzTest", "commandLines", "seed-" + n++, header(255, 1, 1, 1, 1, 1, 2), s);
        }
    }

    // ---- addresses and parameters --------------------------------------------------------------------------------

    private void addresses() throws IOException {
        String[] texts = {
            "<user@example.com>", "<>", "<> SIZE=10", "user@example.com", "postmaster", "<@a.example,@b.example:u@c>",
            "<\"quoted local\"@x.example>", "\"a\\\"b\"@x", "<u@[192.0.2.1]>", "<u@[IPv6:2001:db8::1]>",
            "(comment) <a@b> (trailing) SIZE=1", "<a@b", "a@b>", "<a b@c>", "<a..b@c>", "<.a@b>", "<a.@b>",
            "<a@b..c>", "<a@b.c.>", "<a@>", "<@b>", "<\"\"@b>", "<a@(comment)b.example>", "<a @ b . c>",
            "<a\0b@c>", "<a@b\r\nRCPT TO:<x@y>>", "<\"a\\\0\"@b>", "<u@[1.2.3.4\0]>", "<u@[a\rb]>", "(\0)<a@b>",
            "<δοκιμή@παράδειγμα.δοκιμή>", "<\\a@b>", "<a\\@b>", "<(nested (comment))a@b>", "<a@b> BODY=8BITMIME SMTPUTF8",
        };
        int n = 0;
        for (String t : texts) {
            write("AddressParserFuzzTest", "address", "seed-" + n++, new byte[] {2}, t);
            write("ParametersFuzzTest", "parameters", "seed-" + n, new byte[] {2}, t);
        }
        byte[] latin = "<caf\u00e9@x>".getBytes(StandardCharsets.ISO_8859_1);
        write("AddressParserFuzzTest", "address", "seed-latin1", concat(new byte[] {0}, latin));
        write("AddressParserFuzzTest", "address", "seed-utf16",
                concat(new byte[] {1}, "<a\ud800@b>".getBytes(StandardCharsets.UTF_16BE)));
    }

    private void parameters() throws IOException {
        String[] texts = {
            "SIZE=1000 BODY=8BITMIME", " SMTPUTF8 ", "SIZE=", "=1", "a=b=c", "KEY=value\tOTHER", "x\u00e9=1", "SIZE=1\0",
            "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@b", "BODY=7BIT BODY=8BITMIME", "\u00df=1", "",
        };
        int n = 100;
        for (String t : texts) {
            write("ParametersFuzzTest", "parameters", "seed-" + n++, new byte[] {2}, t);
        }
    }

    // ---- PROXY ---------------------------------------------------------------------------------------------------

    private void proxy() throws IOException {
        String[] v1 = {
            "PROXY TCP4 192.0.2.1 198.51.100.2 40000 25\r\nEHLO x\r\n",
            "PROXY TCP6 2001:db8::1 2001:db8::2 40000 25\r\n",
            "PROXY TCP6 ::ffff:192.0.2.1 ::1 1 65535\r\n",
            "PROXY TCP6 1:2:3:4:5:6:7:8 1::8 0 0\r\n",
            "PROXY UNKNOWN\r\n", "PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n",
            "PROXY TCP4 192.0.2.01 198.51.100.2 40000 25\r\n", "PROXY TCP4 192.0.2.1 198.51.100.2 040000 25\r\n",
            "PROXY TCP4 192.0.2.1 198.51.100.2 65536 25\r\n", "PROXY TCP4 192.0.2.1  198.51.100.2 1 2\r\n",
            "PROXY TCP4 192.0.2.1 198.51.100.2 1 2\n", "PROXY TCP4 " + "9".repeat(120) + "\r\n",
            "PROXY TCP5 192.0.2.1 198.51.100.2 1 2\r\n", "EHLO not a proxy header\r\n",
        };
        int n = 0;
        for (String s : v1) {
            write("ProxyHeaderFuzzTest", "proxyHeader", "seed-" + n++, header(0, 0, 0, 0, 0, 0), s);
            write("ProxyHeaderFuzzTest", "proxyHeader", "seed-" + n++, header(0, 1, 5, 1, 13, 2), s);
        }
        byte[] tcp4 = v2(1, 0x11, cat(ip(192, 0, 2, 1), ip(198, 51, 100, 2), port(40000), port(25)));
        byte[] tcp6 = v2(1, 0x21, cat(repeat(0x20, 16), repeat(0x30, 16), port(1), port(2)));
        byte[] crc = v2(1, 0x11, cat(ip(10, 0, 0, 1), ip(10, 0, 0, 2), port(1), port(2), tlv(0x03, new byte[4])));
        byte[] ssl = v2(1, 0x11, cat(ip(10, 0, 0, 1), ip(10, 0, 0, 2), port(1), port(2),
                tlv(0x20, cat(new byte[] {0x07, 0, 0, 0, 0}, tlv(0x21, "TLSv1.3".getBytes(StandardCharsets.US_ASCII)),
                        tlv(0x22, "client".getBytes(StandardCharsets.US_ASCII)))),
                tlv(0x05, "unique".getBytes(StandardCharsets.US_ASCII)), tlv(0x01, "h2".getBytes(StandardCharsets.US_ASCII)),
                tlv(0x04, new byte[0]), tlv(0x04, new byte[2]), tlv(0xE0, new byte[] {1, 2, 3})));
        byte[] unix = v2(1, 0x31, cat(repeat('a', 108), repeat('b', 108)));
        byte[] local = v2(0, 0x00, new byte[0]);
        byte[] localWithJunk = v2(0, 0x11, cat(new byte[12], tlv(0x03, new byte[2])));
        byte[] dup = v2(1, 0x11, cat(ip(1, 2, 3, 4), ip(5, 6, 7, 8), port(1), port(2), tlv(0x02, new byte[1]),
                tlv(0x02, new byte[1])));
        byte[] truncated = v2(1, 0x21, new byte[10]);
        byte[][] v2s = {tcp4, tcp6, crc, ssl, unix, local, localWithJunk, dup, truncated};
        for (byte[] h : v2s) {
            byte[] stream = cat(h, "EHLO x\r\n".getBytes(StandardCharsets.US_ASCII));
            write("ProxyHeaderFuzzTest", "proxyHeader", "seed-" + n++, concat(header(3, 0, 0, 0, 0, 0), stream));
            write("ProxyHeaderFuzzTest", "proxyHeader", "seed-" + n++, concat(header(2, 1, 1, 1, 1, 1), stream));
            write("ProxyHeaderFuzzTest", "proxyHeader", "seed-" + n++, concat(header(0, 7, 16, 3, 0, 2), stream));
        }
        byte[] tooLong = v2(1, 0x11, new byte[0]);
        tooLong[14] = (byte) 0x08;
        tooLong[15] = (byte) 0x01;
        write("ProxyHeaderFuzzTest", "proxyHeader", "seed-" + n++, concat(header(0, 0, 0, 0, 0, 0), tooLong));
    }

    // ---- AUTH ----------------------------------------------------------------------------------------------------

    private void auth() throws IOException {
        String[] b64 = {"AHVzZXIAcGFzcw==", "dXNlcg==", "cGFzcw==", "", "=", "==", "QQ=", "QQ==", "QR==", "QUJD", "QUJD==",
            "QUI=", "Q===", "QQ==QQ==", "****", "dXNl\r\ncg==", "dXNlcg== ", "-_-_", "YQ"};
        int n = 0;
        for (String s : b64) {
            write("AuthDecodingFuzzTest", "base64", "seed-" + n++, new byte[] {0}, s);
        }
        String[] plain = {"\0user\0pass", "user\0user\0pass", "admin\0user\0pass", "user\0pass", "\0\0", "\0\0\0",
            "no nul at all", "\0user\0pa\0ss"};
        for (String s : plain) {
            write("AuthDecodingFuzzTest", "plain", "seed-" + n++, new byte[] {1}, s);
            write("AuthDecodingFuzzTest", "plain", "seed-" + n++, new byte[] {0}, s);
        }
        write("AuthDecodingFuzzTest", "login", "seed-" + n++, new byte[] {4, 0}, "userpass");
        write("AuthDecodingFuzzTest", "login", "seed-" + n++, new byte[] {4, 1}, "user\0pass");
        write("AuthDecodingFuzzTest", "login", "seed-" + n++, new byte[] {0, 0}, "");
        write("AuthDecodingFuzzTest", "cramMd5", "seed-" + n++, new byte[] {1}, "");
        write("AuthDecodingFuzzTest", "cramMd5", "seed-" + n++, new byte[] {0}, "alice 0123456789abcdef0123456789abcdef");
        write("AuthDecodingFuzzTest", "cramMd5", "seed-" + n++, new byte[] {0}, "bob 0123456789ABCDEF0123456789ABCDEF");
        write("AuthDecodingFuzzTest", "cramMd5", "seed-" + n++, new byte[] {0}, "nospace");
        write("AuthDecodingFuzzTest", "cramMd5", "seed-" + n++, new byte[] {0}, " leading");
    }

    // ---- whole sessions ------------------------------------------------------------------------------------------

    private void session() throws IOException {
        String transaction = "EHLO client.example\r\nMAIL FROM:<a@example.com> SIZE=20\r\nRCPT TO:<b@example.com>\r\n"
                + "DATA\r\nSubject: hi\r\n\r\n..dot\r\nbody\r\n.\r\nQUIT\r\n";
        String[] sessions = {
            transaction,
            "HELO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nDATA\r\nhi\r\n.\r\nRSET\r\nNOOP\r\nQUIT\r\n",
            "EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nsmuggled\n.\nMAIL FROM:<e@f>\r\nRCPT TO:<g@h>\r\n"
                    + "DATA\r\nforged\r\n.\r\nQUIT\r\n",
            "EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\na\r.\rMAIL FROM:<e@f>\r\n.\r\n",
            "EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\na\r\n.\nMAIL FROM:<e@f>\r\n.\r\n",
            "EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\na\n.\r\nMAIL FROM:<e@f>\r\n.\r\n",
            "EHLO x\r\nAUTH PLAIN AHVzZXIAcGFzcw==\r\nMAIL FROM:<a@b>\r\n",
            "EHLO x\r\nAUTH PLAIN\r\nAHVzZXIAcGFzcw==\r\nAUTH PLAIN =\r\n",
            "EHLO x\r\nAUTH LOGIN\r\ndXNlcg==\r\ncGFzcw==\r\n",
            "EHLO x\r\nAUTH LOGIN dXNlcg==\r\n*\r\nAUTH LOGIN\r\nnot base64!\r\nAUTH PLAIN QQ=\r\nAUTH PLAIN\r\n",
            "EHLO x\r\nMAIL FROM:<a@b>\r\nAUTH PLAIN AHVzZXIAcGFzcw==\r\n",
            "FOO\r\nBAR\r\nBAZ\r\nQUX\r\nQUUX\r\nNOOP\r\n",
            "EHLO x\r\nMAIL FROM:<<<\r\nMAIL FROM:<a\0b@c>\r\nRCPT TO:\r\nDATA x\r\nRSET x\r\nVRFY\r\nHELO\r\n"
                    + "MAIL FROM:<a@b> X=\r\nMAIL FROM:<a@b> SIZE=abc\r\nRCPT TO:<c@d> FOO=1\r\n\r\n\r\n\r\n",
            "NO\0OP\r\nEH\0LO x\r\n\0\r\nNOOP\0\r\n",
            "EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n" + "x".repeat(1200) + "\r\n.\r\nNOOP\r\n",
            "EHLO x\r\n" + "N".repeat(700) + "\r\nNOOP\r\n",
            "EHLO x\r\nMAIL FROM:<a@b> SMTPUTF8\r\nRCPT TO:<δ@例え.jp>\r\nDATA\r\nü\r\n.\r\n",
            "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003garbage\r\nEHLO x\r\n",
            "LHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nDATA\r\nhi\r\n.\r\nHELO x\r\n",
            "EHLO x\r\nSTARTTLS\r\nMAIL FROM:<a@b>\r\nHELP\r\nHELP MAIL\r\nVRFY <a@b>\r\nEXPN list\r\n",
            "EHLO x\nMAIL FROM:<a@b>\nRCPT TO:<c@d>\nDATA\nhi\n.\n.\r\n",
            "EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 5\r\nab\rc\nBDAT 2 LAST\r\nde"
                    + "MAIL FROM:<a@b>\r\nBDAT 3 LAST\r\nxyzRCPT TO:<c@d>\r\nBDAT 0 LAST\r\nDATA\r\nQUIT\r\n",
        };
        int n = 0;
        for (String s : sessions) {
            write("SessionFuzzTest", "session", "seed-" + n++, header(2, 19, 4, 0, 0, 0, 0, 0, 0), s);
            write("SessionFuzzTest", "session", "seed-" + n++, header(1 | (0 << 1), 3, 2, 4, 1, 9, 2, 40, 1), s);
            write("SessionFuzzTest", "session", "seed-" + n++, header(16 | (2 << 1), 19, 4, 0, 5, 0, 0, 0, 2), s);
        }
        write("SessionFuzzTest", "session", "seed-lmtp", header(8 | 2, 19, 4, 0, 0, 0, 0, 0, 0), sessions[18]);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static byte[] header(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private void write(String test, String method, String name, byte[] head, String text) throws IOException {
        write(test, method, name, concat(head, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes a seed for {@code test#method}, and the same seed, with its selector, for {@link AllTargetsFuzzTest}. */
    private void write(String test, String method, String name, byte[] bytes) throws IOException {
        Path dir = root.resolve(test + "Inputs").resolve(method);
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
        int selector = AllTargetsFuzzTest.NAMES.indexOf(method);
        if (selector < 0) {
            throw new IllegalStateException("no selector for " + method);
        }
        Path all = root.resolve("AllTargetsFuzzTestInputs").resolve("everything");
        Files.createDirectories(all);
        Files.write(all.resolve(method + "-" + name), concat(new byte[] {(byte) selector}, bytes));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return cat(a, b);
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] ip(int... octets) {
        return header(octets);
    }

    private static byte[] port(int port) {
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    private static byte[] repeat(int b, int n) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, (byte) b);
        return out;
    }

    private static byte[] tlv(int type, byte[] value) {
        return cat(new byte[] {(byte) type, (byte) (value.length >>> 8), (byte) value.length}, value);
    }

    /** A v2 header: command (0 LOCAL, 1 PROXY), family and protocol byte, payload; CRC32C TLVs filled in. */
    private static byte[] v2(int command, int familyProtocol, byte[] payload) {
        byte[] sig = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        byte[] h = cat(sig, new byte[] {(byte) (0x20 | command), (byte) familyProtocol,
            (byte) (payload.length >>> 8), (byte) payload.length}, payload);
        int family = (familyProtocol >>> 4) & 0x0f;
        int at = 16 + (family == 1 ? 12 : family == 2 ? 36 : family == 3 ? 216 : 0);
        while (at + 3 <= h.length) {
            int type = h[at] & 0xff;
            int size = ((h[at + 1] & 0xff) << 8) | (h[at + 2] & 0xff);
            if (type == 0x03 && size == 4 && at + 7 <= h.length) {
                CRC32C crc = new CRC32C();
                crc.update(h, 0, h.length);
                long v = crc.getValue();
                h[at + 3] = (byte) (v >>> 24);
                h[at + 4] = (byte) (v >>> 16);
                h[at + 5] = (byte) (v >>> 8);
                h[at + 6] = (byte) v;
                break;
            }
            at += 3 + size;
        }
        return h;
    }
}
