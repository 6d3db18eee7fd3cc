package io.smtpd.impl.mina;

import java.nio.charset.StandardCharsets;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;

import io.smtpd.api.reply.Reply;

/**
 * Writes {@link Reply} values as wire lines. The common replies are constants ({@code 250 OK}, {@code 354 ...}),
 * so their bytes are kept in a small identity cache instead of being rendered for every message.
 */
final class ReplyEncoder implements ProtocolEncoder {
    private static final int SLOTS = 128;

    /** A rendered reply; published whole through one array slot, so a reader never sees a half-filled entry. */
    private record Rendered(Reply reply, byte[] bytes) {
    }

    private final boolean enhancedStatusCodes;
    private final Rendered[] cache = new Rendered[SLOTS];

    ReplyEncoder(boolean enhancedStatusCodes) {
        this.enhancedStatusCodes = enhancedStatusCodes;
    }

    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        out.write(IoBuffer.wrap(bytes((Reply) message)));
    }

    private byte[] bytes(Reply reply) {
        int slot = System.identityHashCode(reply) & (SLOTS - 1);
        Rendered hit = cache[slot];
        if (hit != null && hit.reply() == reply) {
            return hit.bytes();
        }
        byte[] bytes = reply.render(enhancedStatusCodes).getBytes(StandardCharsets.UTF_8);
        cache[slot] = new Rendered(reply, bytes); // replies made per message just take turns in the slots
        return bytes;
    }

    @Override
    public void dispose(IoSession session) {
        // stateless
    }
}
