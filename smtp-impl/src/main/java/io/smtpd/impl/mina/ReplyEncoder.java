package io.smtpd.impl.mina;

import java.nio.charset.StandardCharsets;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;

import io.smtpd.api.reply.Reply;

/** Writes {@link Reply} values as wire lines. */
final class ReplyEncoder implements ProtocolEncoder {
    private final boolean enhancedStatusCodes;

    ReplyEncoder(boolean enhancedStatusCodes) {
        this.enhancedStatusCodes = enhancedStatusCodes;
    }

    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        Reply reply = (Reply) message;
        out.write(IoBuffer.wrap(reply.render(enhancedStatusCodes).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void dispose(IoSession session) {
        // stateless
    }
}
