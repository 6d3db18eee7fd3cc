package io.smtpd.itest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.smtpd.api.Handler;
import io.smtpd.api.command.SmtpCommand;

/**
 * What a test puts into the container, all through the service registry and Configuration Admin (felix
 * healthcheck's {@code U}): handler and command services, and server configurations. {@link #close()} takes it
 * all away again, so each test leaves the container as it found it.
 */
public final class Fixture implements AutoCloseable {
    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final Map<String, Configuration> configurations = new LinkedHashMap<>();

    public Fixture(BundleContext context, ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
    }

    /** Registers {@code handler} as a service named {@code name} with {@code service.ranking} {@code ranking}. */
    public ServiceRegistration<Handler> handler(Handler handler, String name, int ranking, Object... moreProperties) {
        Hashtable<String, Object> props = properties(moreProperties);
        props.put(Handler.NAME, name);
        props.put(Constants.SERVICE_RANKING, ranking);
        return remember(context.registerService(Handler.class, handler, props));
    }

    /** Registers a recording handler named {@code name} (ranking 0) labelled with its name. */
    public RecordingHandler handler(String name) {
        RecordingHandler handler = new RecordingHandler(name);
        handler(handler, name, 0);
        return handler;
    }

    /** Registers a custom command for {@code verb}, listed in HELP with {@code syntax}. */
    public ServiceRegistration<SmtpCommand> command(SmtpCommand command, String verb, String syntax, int ranking) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(SmtpCommand.VERB, verb);
        props.put(SmtpCommand.SYNTAX, syntax);
        props.put(Constants.SERVICE_RANKING, ranking);
        return remember(context.registerService(SmtpCommand.class, command, props));
    }

    /** Registers any service with the given properties. */
    public <S> ServiceRegistration<S> register(Class<S> type, S service, Dictionary<String, Object> properties) {
        return remember(context.registerService(type, service, properties));
    }

    /**
     * Creates the server configuration {@code io.smtpd.server~name} listening on a free port of 127.0.0.1 (unless
     * {@code listen} is given) and waits until it is bound.
     *
     * @param settings property names and values, alternating
     * @return the port it listens on
     */
    public int server(String name, Object... settings) throws IOException {
        Hashtable<String, Object> props = properties(settings);
        props.putIfAbsent("listen", SmtpClient.HOST + ":0");
        props.putIfAbsent("hostname", "itest.local");
        props.putIfAbsent("enhanced.status.codes", false); // the assertions compare aiosmtpd's texts
        Configuration config = configAdmin.getFactoryConfiguration(Servers.FACTORY_PID, name, "?");
        configurations.put(name, config);
        config.update(props);
        return Servers.awaitPort(context, name);
    }

    /** Changes some properties of the server configuration {@code name}, keeping the others. */
    public void update(String name, Object... settings) throws IOException {
        Configuration config = configAdmin.getFactoryConfiguration(Servers.FACTORY_PID, name, "?");
        Dictionary<String, Object> props = config.getProperties();
        for (Map.Entry<String, Object> e : properties(settings).entrySet()) {
            props.put(e.getKey(), e.getValue());
        }
        config.update(props);
    }

    /** Deletes the server configuration {@code name}. */
    public void delete(String name) throws IOException {
        configAdmin.getFactoryConfiguration(Servers.FACTORY_PID, name, "?").delete();
    }

    private <S> ServiceRegistration<S> remember(ServiceRegistration<S> registration) {
        registrations.add(registration);
        return registration;
    }

    private static Hashtable<String, Object> properties(Object... keysAndValues) {
        Hashtable<String, Object> props = new Hashtable<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            props.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return props;
    }

    /** Unregisters every service and deletes every configuration this fixture made; waits for servers to go. */
    @Override
    public void close() throws Exception {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyUnregistered) {
                // the test unregistered it itself
            }
        }
        registrations.clear();
        for (Map.Entry<String, Configuration> e : configurations.entrySet()) {
            try {
                e.getValue().delete();
            } catch (IllegalStateException alreadyDeleted) {
                // the test deleted it itself
            }
            Servers.awaitGone(context, e.getKey());
        }
        configurations.clear();
    }
}
