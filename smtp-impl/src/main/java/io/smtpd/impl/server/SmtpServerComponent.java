package io.smtpd.impl.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpd.api.Handler;
import io.smtpd.api.auth.Authenticator;
import io.smtpd.api.command.SmtpCommand;
import io.smtpd.handlers.BuiltinHandlers;
import io.smtpd.impl.mina.SmtpListener;
import io.smtpd.impl.protocol.ServerContext;
import io.smtpd.server.RunningServer;
import io.smtpd.server.ServerSettings;

/**
 * One server per Configuration Admin factory configuration of {@code io.smtpd.server}. Handlers, custom commands
 * and authenticators come from the service registry (whiteboard) and may come and go at any time: a transaction
 * keeps the handler it started with, the next one takes the best current match.
 */
@Component(name = ServerConfig.PID, configurationPid = ServerConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ServerConfig.class, factory = true)
public final class SmtpServerComponent implements RunningServer {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpServerComponent.class);

    private final RankedServices<Handler> handlers = new RankedServices<>();
    private final CommandRegistry commands = new CommandRegistry();
    private final RankedServices<Authenticator> authenticators = new RankedServices<>();
    private final AtomicReference<ServerContext> context = new AtomicReference<>();
    private volatile Predicate<Map<String, Object>> handlerFilter = p -> false;
    private volatile Handler fixedHandler;
    private volatile Authenticator fileAuthenticator;
    private BundleContext bundleContext;
    private ScheduledThreadPoolExecutor timer;
    private SmtpListener listener;
    private ServiceRegistration<RunningServer> registration;
    private String name;

    @Activate
    void activate(BundleContext bundleContext, ServerConfig config, Map<String, Object> properties)
            throws IOException {
        this.bundleContext = bundleContext;
        this.name = nameOf(properties);
        this.timer = ServerRuntime.newTimer(name);
        configure(config);
        SmtpListener l = new SmtpListener(context::get);
        try {
            l.start();
        } catch (IOException e) {
            timer.shutdownNow();
            LOG.error("{}: {}", name, e.getMessage());
            throw e;
        }
        listener = l;
        register();
    }

    @Modified
    void modified(ServerConfig config) throws IOException {
        InetSocketAddress before = context.get().settings().bindAddress();
        configure(config);
        ServerSettings now = context.get().settings();
        if (!now.bindAddress().equals(before)) {
            LOG.info("{}: address changed, rebinding to {}:{}", name, now.host(), now.port());
            SmtpListener old = listener;
            SmtpListener fresh = new SmtpListener(context::get);
            fresh.start();
            listener = fresh;
            old.stop(10, TimeUnit.SECONDS);
        }
        unregister();
        register();
    }

    @Deactivate
    void deactivate() {
        unregister();
        if (listener != null) {
            listener.stop(10, TimeUnit.SECONDS);
            listener = null;
        }
        timer.shutdownNow();
    }

    private void configure(ServerConfig config) {
        ServerSettings settings = ConfigMapping.toSettings(config);
        String target = config.handler_target().trim();
        String spec = config.handler().trim();
        if (!target.isEmpty()) {
            Filter filter = filter(target);
            handlerFilter = filter::matches;
            fixedHandler = null;
        } else if (spec.contains(":")) {
            fixedHandler = BuiltinHandlers.fromSpec(spec);
            handlerFilter = p -> false;
        } else {
            Filter filter = filter("(" + Handler.NAME + "=" + escape(spec) + ")");
            handlerFilter = filter::matches;
            fixedHandler = null;
        }
        fileAuthenticator = ServerRuntime.authenticatorFor(settings);
        commands.builtins(settings);
        context.set(new ServerContext(name, settings, ServerRuntime.hostname(settings), ServerRuntime.ident(settings),
                this::currentHandler, commands::table, this::currentAuthenticator, timer));
        LOG.info("{}: handler {}", name, target.isEmpty() ? spec : target);
    }

    private Handler currentHandler() {
        Handler fixed = fixedHandler;
        return fixed != null ? fixed : handlers.best(handlerFilter);
    }

    private Authenticator currentAuthenticator() {
        Authenticator service = authenticators.best(p -> true);
        return service != null ? service : fileAuthenticator;
    }

    private void register() {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(RunningServer.NAME, name);
        InetSocketAddress address = listener.localAddress();
        props.put("smtp.server.address", address.getAddress().getHostAddress());
        props.put("smtp.server.port", address.getPort());
        registration = bundleContext.registerService(RunningServer.class, this, props);
    }

    private void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
    }

    // ---- whiteboard --------------------------------------------------------------------------------------------

    @Reference(service = Handler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindHandler(Handler handler, Map<String, Object> properties) {
        handlers.add(handler, properties);
        LOG.info("handler service {} registered (ranking {})", properties.get(Handler.NAME),
                properties.getOrDefault(Constants.SERVICE_RANKING, 0));
    }

    void updatedHandler(Handler handler, Map<String, Object> properties) {
        handlers.add(handler, properties);
    }

    void unbindHandler(Handler handler, Map<String, Object> properties) {
        handlers.remove(handler);
        LOG.info("handler service {} unregistered", properties.get(Handler.NAME));
    }

    @Reference(service = SmtpCommand.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindCommand(SmtpCommand command, Map<String, Object> properties) {
        commands.add(command, properties);
    }

    void updatedCommand(SmtpCommand command, Map<String, Object> properties) {
        commands.add(command, properties);
    }

    void unbindCommand(SmtpCommand command, Map<String, Object> properties) {
        commands.remove(command);
    }

    @Reference(service = Authenticator.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindAuthenticator(Authenticator authenticator, Map<String, Object> properties) {
        authenticators.add(authenticator, properties);
    }

    void unbindAuthenticator(Authenticator authenticator) {
        authenticators.remove(authenticator);
    }

    // ---- RunningServer -----------------------------------------------------------------------------------------

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress localAddress() {
        SmtpListener l = listener;
        return l == null ? null : l.localAddress();
    }

    @Override
    public ServerSettings settings() {
        return context.get().settings();
    }

    @Override
    public int openSessions() {
        SmtpListener l = listener;
        return l == null ? 0 : l.openSessions();
    }

    private static String nameOf(Map<String, Object> properties) {
        Object pid = properties.get(Constants.SERVICE_PID);
        String text = pid == null ? "smtpd" : pid.toString();
        int tilde = text.indexOf('~');
        return tilde >= 0 ? text.substring(tilde + 1) : text;
    }

    private static Filter filter(String ldap) {
        try {
            return FrameworkUtil.createFilter(ldap);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("handler.target: " + e.getMessage(), e);
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
