package io.smtpd.handlers;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import org.osgi.service.component.annotations.Component;

/** {@link Sink} as a DS service, so that a server can select it by name ({@code sink}). */
@Component(service = Handler.class, property = Handler.NAME + "=" + BuiltinHandlers.SINK)
public final class SinkComponent implements Handler {
    private final Sink sink = new Sink();

    @Override
    public HookResult handleData(Session session, Envelope envelope) {
        return sink.handleData(session, envelope);
    }
}
