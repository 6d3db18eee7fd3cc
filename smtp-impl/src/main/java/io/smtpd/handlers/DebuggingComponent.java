package io.smtpd.handlers;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import org.osgi.service.component.annotations.Component;

/** {@link Debugging} on standard output as a DS service, so that a server can select it by name ({@code debugging}). */
@Component(service = Handler.class, property = Handler.NAME + "=" + BuiltinHandlers.DEBUGGING)
public final class DebuggingComponent implements Handler {
    private final Debugging debugging = new Debugging();

    @Override
    public HookResult handleData(Session session, Envelope envelope) {
        return debugging.handleData(session, envelope);
    }
}
