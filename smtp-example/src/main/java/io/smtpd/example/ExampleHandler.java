package io.smtpd.example;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;

/**
 * The {@code ExampleHandler} of aiosmtpd's documentation as a DS service: it accepts recipients in
 * {@code example.com} only, and counts and logs the messages it accepts. A server selects it by name:
 * configure {@code handler=example}.
 */
@Component(service = Handler.class, property = Handler.NAME + "=" + ExampleHandler.NAME)
public final class ExampleHandler implements Handler {
    /** The value of {@link Handler#NAME} this handler registers with. */
    public static final String NAME = "example";

    private static final Logger LOG = LoggerFactory.getLogger(ExampleHandler.class);
    private static final String DOMAIN = "@example.com";

    private final AtomicLong accepted = new AtomicLong();

    @Override
    public HookResult handleRcpt(Session session, Envelope envelope, String address, List<String> options) {
        if (!address.toLowerCase(Locale.ROOT).endsWith(DOMAIN)) {
            return HookResult.reply("550 not relaying to that domain");
        }
        return HookResult.proceed(); // the server records the recipient and answers 250 OK
    }

    @Override
    public HookResult handleData(Session session, Envelope envelope) {
        long count = accepted.incrementAndGet();
        String firstLine = new String(envelope.content(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        LOG.info("message {} from {} for {} ({} octets), first line: {}", count, envelope.mailFrom(),
                envelope.rcptTos(), envelope.content().length, firstLine);
        return HookResult.reply("250 Message accepted for delivery");
    }
}
