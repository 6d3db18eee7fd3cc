package io.smtpd.handlers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.smtpd.api.Attributes;
import io.smtpd.api.Envelope;

/** A transaction at the end of DATA, as the server would hand it to the DATA hook. */
final class TestEnvelope implements Envelope {
    private final Attributes attributes = new MapAttributes();
    private final List<String> mailOptions = new ArrayList<>();
    private final List<String> rcptTos = new ArrayList<>();
    private final List<String> rcptOptions = new ArrayList<>();
    private String mailFrom;
    private boolean smtpUtf8;
    private byte[] originalContent;
    private byte[] content;

    static TestEnvelope of(String mailFrom, List<String> rcptTos, byte[] content) {
        TestEnvelope envelope = new TestEnvelope();
        envelope.mailFrom = mailFrom;
        envelope.rcptTos.addAll(rcptTos);
        envelope.originalContent = content;
        envelope.content = content;
        return envelope;
    }

    static TestEnvelope of(String mailFrom, List<String> rcptTos, String content) {
        return of(mailFrom, rcptTos, content.getBytes(StandardCharsets.UTF_8));
    }

    TestEnvelope mailOptions(String... options) {
        mailOptions.addAll(List.of(options));
        return this;
    }

    TestEnvelope rcptOptions(String... options) {
        rcptOptions.addAll(List.of(options));
        return this;
    }

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
        return null;
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }
}
