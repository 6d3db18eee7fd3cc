package io.smtpd.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test input shaped like what Postfix's smtp-source sends: a few headers, then lines of 78 octets plus CRLF. */
final class Messages {
    private Messages() {
    }

    /** The DATA section of a message with about {@code payload} octets of body, terminator included. */
    static byte[] dataSection(int payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload + 512);
        ascii(out, "From: <foo@bench.test>\r\nTo: <foo@bench.test>\r\n"
                + "Date: Sat, 28 Nov 2026 17:29:21 +0000 (UTC)\r\nMessage-Id: <6eca.0003.0000@bench.test>\r\n\r\n");
        int line = 0;
        for (int left = payload; left > 0; line++) {
            int n = Math.min(78, left);
            StringBuilder b = new StringBuilder(n + 2);
            // one line in 50 starts with a dot, so the unstuffing path is taken now and then
            b.append(line % 50 == 49 ? ".." : String.valueOf(line % 10));
            while (b.length() < n) {
                b.append('X');
            }
            ascii(out, b.append("\r\n").toString());
            left -= n;
        }
        ascii(out, ".\r\n");
        return out.toByteArray();
    }

    /** {@code wire} cut into read-sized pieces, each a buffer positioned at 0 (reset them with {@code clear()}). */
    static ByteBuffer[] chunks(byte[] wire, int chunk) {
        int count = (wire.length + chunk - 1) / chunk;
        ByteBuffer[] out = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            int from = i * chunk;
            out[i] = ByteBuffer.wrap(wire, from, Math.min(chunk, wire.length - from)).slice();
        }
        return out;
    }

    static ByteBuffer buffer(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
