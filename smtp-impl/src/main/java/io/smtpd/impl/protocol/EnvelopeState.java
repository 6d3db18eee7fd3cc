package io.smtpd.impl.protocol;

import java.util.ArrayList;
import java.util.List;

import io.smtpd.api.Attributes;
import io.smtpd.api.Dsn;
import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.impl.data.ContentBuffer;

/** One mail transaction; replaced by a fresh one on RSET, HELO/EHLO and at the end of DATA. */
public final class EnvelopeState implements Envelope {
    private String mailFrom;
    private final List<String> mailOptions = new ArrayList<>(2);
    private final List<String> rcptTos = new ArrayList<>(2);
    private final List<String> rcptOptions = new ArrayList<>(2);
    private boolean smtpUtf8;
    private byte[] originalContent;
    private byte[] content;
    private String decodedContent;
    private AttributeMap attributes;
    /** The handler this transaction started with; a replaced handler serves the next transaction. */
    private Handler handler;
    private Dsn.Mail dsn = Dsn.Mail.NONE;
    private List<Dsn.Recipient> dsnRecipients;
    private boolean requireTls;
    /** The message so far when BDAT chunks (RFC 3030) are under way, else {@code null}. */
    private ContentBuffer chunks;

    @Override
    public String mailFrom() {
        return mailFrom;
    }

    @Override
    public void setMailFrom(String mailFrom) {
        this.mailFrom = mailFrom;
    }

    @Override
    public List<String> mailOptions() {
        return mailOptions;
    }

    @Override
    public List<String> rcptTos() {
        return rcptTos;
    }

    @Override
    public List<String> rcptOptions() {
        return rcptOptions;
    }

    @Override
    public boolean smtpUtf8() {
        return smtpUtf8;
    }

    @Override
    public void setSmtpUtf8(boolean smtpUtf8) {
        this.smtpUtf8 = smtpUtf8;
    }

    @Override
    public byte[] originalContent() {
        return originalContent;
    }

    @Override
    public byte[] content() {
        return content;
    }

    @Override
    public void setContent(byte[] content) {
        this.content = content;
    }

    @Override
    public String decodedContent() {
        return decodedContent;
    }

    /** Sets the received content; {@code decoded} is the text form with decode_data, else {@code null}. */
    public void receive(byte[] bytes, String decoded) {
        this.originalContent = bytes;
        this.content = bytes;
        this.decodedContent = decoded;
    }

    @Override
    public Attributes attributes() {
        if (attributes == null) {
            attributes = new AttributeMap();
        }
        return attributes;
    }

    Handler handler() {
        return handler;
    }

    void handler(Handler handler) {
        this.handler = handler;
    }

    @Override
    public Dsn.Mail dsn() {
        return dsn;
    }

    public void dsn(Dsn.Mail mail) {
        this.dsn = mail == null ? Dsn.Mail.NONE : mail;
    }

    @Override
    public List<Dsn.Recipient> dsnRecipients() {
        if (dsnRecipients == null) {
            dsnRecipients = new ArrayList<>(2);
        }
        return dsnRecipients;
    }

    @Override
    public boolean requireTls() {
        return requireTls;
    }

    public void requireTls(boolean on) {
        this.requireTls = on;
    }

    /** The BDAT content received so far in this transaction, or {@code null} before the first BDAT. */
    public ContentBuffer chunks() {
        return chunks;
    }

    public void chunks(ContentBuffer buffer) {
        this.chunks = buffer;
    }

    /** Whether a transaction is under way (MAIL accepted). */
    public boolean inTransaction() {
        return mailFrom != null;
    }

    @Override
    public String toString() {
        return "Envelope[from=" + mailFrom + ", to=" + rcptTos + "]";
    }
}
