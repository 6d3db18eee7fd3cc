package io.smtpd.handlers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.smtpd.api.reply.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message's conversation with the upstream server: greeting, EHLO (HELO when EHLO is refused), MAIL, one RCPT
 * per recipient, DATA. The outcome is the upstream's verdict; anything that says the upstream cannot take mail now
 * (a failed greeting or EHLO, a 4xx to MAIL, a 421, an I/O error) is an {@link UpstreamUnavailableException} or an
 * {@link IOException}, which the caller turns into a 451.
 */
final class RelayTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(RelayTransaction.class);

    /** What is relayed, read from the session and envelope on the hook's thread. */
    record Message(String mailFrom, List<String> rcptTos, List<String> mailOptions, boolean smtpUtf8,
            byte[] content, String peerIp, String heloName) {
    }

    /**
     * The verdict for the client, and one reply per recipient in envelope order (the refusal for a refused one,
     * the verdict for an accepted one) for LMTP.
     */
    record Outcome(Reply verdict, List<Reply> perRecipient) {
    }

    private final UpstreamConnection upstream;
    private final Message message;

    RelayTransaction(UpstreamConnection upstream, Message message) {
        this.upstream = upstream;
        this.message = message;
    }

    Outcome run() throws IOException {
        available("greeting", upstream.readReply());
        Set<String> extensions = greet();
        UpstreamReply mail = upstream.command("MAIL FROM:" + path(message.mailFrom()) + mailParameters(extensions));
        if (!mail.positive()) {
            if (!mail.permanentFailure()) {
                throw unavailable("MAIL", mail);
            }
            return sameForAll(mail.toReply());
        }
        List<UpstreamReply> rcptReplies = new ArrayList<>(message.rcptTos().size());
        UpstreamReply firstRefusal = null;
        for (String recipient : message.rcptTos()) {
            UpstreamReply rcpt = notClosing("RCPT", upstream.command("RCPT TO:" + path(recipient)));
            rcptReplies.add(rcpt);
            if (!rcpt.positive() && firstRefusal == null) {
                firstRefusal = rcpt;
            }
        }
        if (rcptReplies.stream().noneMatch(UpstreamReply::positive)) {
            Reply refused = firstRefusal == null ? Reply.parse("554 5.5.1 Error: no valid recipients")
                    : firstRefusal.toReply();
            return outcome(refused, rcptReplies);
        }
        if (firstRefusal != null) {
            LOG.warn("Upstream refused some recipients; the message goes to the others: {}", firstRefusal);
        }
        return outcome(sendData(), rcptReplies);
    }

    private Set<String> greet() throws IOException {
        UpstreamReply ehlo = upstream.command("EHLO " + message.heloName());
        if (ehlo.positive()) {
            Set<String> keywords = new HashSet<>();
            for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
                keywords.add(line.split(" ", 2)[0].toUpperCase(Locale.ROOT));
            }
            return keywords;
        }
        if (ehlo.permanentFailure()) {
            available("HELO", upstream.command("HELO " + message.heloName()));
            return Set.of();
        }
        throw unavailable("EHLO", ehlo);
    }

    /** BODY=8BITMIME and SMTPUTF8, each only where the upstream advertised it (RFC 6152, RFC 6531). */
    private String mailParameters(Set<String> extensions) {
        StringBuilder parameters = new StringBuilder();
        boolean eightBit = message.mailOptions().stream().anyMatch(o -> o.equalsIgnoreCase("BODY=8BITMIME"));
        if (eightBit && extensions.contains("8BITMIME")) {
            parameters.append(" BODY=8BITMIME");
        }
        if (message.smtpUtf8() && extensions.contains("SMTPUTF8")) {
            parameters.append(" SMTPUTF8");
        }
        return parameters.toString();
    }

    private Reply sendData() throws IOException {
        UpstreamReply data = notClosing("DATA", upstream.command("DATA"));
        if (data.code() != 354) {
            return data.toReply();
        }
        byte[] content = message.content();
        HeaderInsertion at = HeaderInsertion.locate(content);
        DotStuffingOutputStream out = upstream.dataStream();
        out.write(content, 0, at.offset());
        out.write(at.render(List.of(HeaderInsertion.field("X-Peer", message.peerIp()))));
        out.write(content, at.offset(), content.length - at.offset());
        out.finish();
        return notClosing("end of DATA", upstream.readReply()).toReply();
    }

    /** The null sender stays {@code <>}; a bare address gets its angle brackets. */
    static String path(String address) {
        if (address == null || address.isEmpty() || address.equals("<>")) {
            return "<>";
        }
        return address.startsWith("<") && address.endsWith(">") ? address : "<" + address + ">";
    }

    private static Outcome outcome(Reply verdict, List<UpstreamReply> rcptReplies) {
        List<Reply> perRecipient = new ArrayList<>(rcptReplies.size());
        for (UpstreamReply rcpt : rcptReplies) {
            perRecipient.add(rcpt.positive() ? verdict : rcpt.toReply());
        }
        return new Outcome(verdict, perRecipient);
    }

    private Outcome sameForAll(Reply reply) {
        return new Outcome(reply, message.rcptTos().stream().map(r -> reply).toList());
    }

    private static void available(String step, UpstreamReply reply) throws UpstreamUnavailableException {
        if (!reply.positive()) {
            throw unavailable(step, reply);
        }
    }

    private static UpstreamReply notClosing(String step, UpstreamReply reply) throws UpstreamUnavailableException {
        if (reply.code() == UpstreamReply.SERVICE_CLOSING) {
            throw unavailable(step, reply);
        }
        return reply;
    }

    private static UpstreamUnavailableException unavailable(String step, UpstreamReply reply) {
        return new UpstreamUnavailableException("upstream answered " + step + " with " + reply);
    }
}
