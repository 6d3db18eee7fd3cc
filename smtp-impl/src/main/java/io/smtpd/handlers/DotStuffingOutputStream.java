package io.smtpd.handlers;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes message content as SMTP DATA wants it (RFC 5321 4.5.2 and 2.3.8): every line ends with CRLF, a bare CR
 * or a bare LF included, and a line that starts with '.' gets one more. {@link #finish()} ends the last line and
 * writes the terminator {@code .\r\n}. The state carries across writes, so content may come in pieces.
 */
final class DotStuffingOutputStream extends FilterOutputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] TERMINATOR = {'.', '\r', '\n'};
    private static final byte[] DOUBLED_DOT = {'.', '.'};

    private boolean atLineStart = true;
    private boolean afterCr;

    DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int run = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            boolean special = c == '\r' || c == '\n' || (atLineStart && c == '.');
            if (!special) {
                atLineStart = false;
                afterCr = false;
                continue;
            }
            out.write(b, run, i - run);
            run = i + 1;
            if (c == '.') {
                out.write(DOUBLED_DOT);
                atLineStart = false;
                afterCr = false;
            } else if (c == '\n' && afterCr) {
                afterCr = false;
            } else {
                out.write(CRLF);
                atLineStart = true;
                afterCr = c == '\r';
            }
        }
        out.write(b, run, end - run);
    }

    /** Ends the content: a CRLF if its last line had none, then {@code .\r\n}; flushes. */
    void finish() throws IOException {
        if (!atLineStart) {
            out.write(CRLF);
        }
        out.write(TERMINATOR);
        out.flush();
    }
}
