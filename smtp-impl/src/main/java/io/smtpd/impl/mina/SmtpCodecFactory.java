package io.smtpd.impl.mina;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;

/** The SMTP codec: command lines and DATA in, replies out. Stateless; per-session state lives in the session. */
public final class SmtpCodecFactory implements ProtocolCodecFactory {
    private final ReplyEncoder encoder;

    public SmtpCodecFactory(boolean enhancedStatusCodes) {
        this.encoder = new ReplyEncoder(enhancedStatusCodes);
    }

    @Override
    public ProtocolEncoder getEncoder(IoSession session) {
        return encoder;
    }

    @Override
    public ProtocolDecoder getDecoder(IoSession session) {
        return SmtpDecoder.INSTANCE;
    }
}
