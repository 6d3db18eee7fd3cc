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
import java.util.function.Supplier;

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

import io.smtpd.api.ConnectionPolicy;
import io.smtpd.api.Handler;
import io.smtpd.api.auth.AuthMechanism;
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
    private final RankedServices<AuthMechanism> mechanisms = new RankedServices<>();
    private final RankedServices<ConnectionPolicy> policies = new RankedServices<>();
    private final Supplier<ConnectionPolicy> defaultPolicy = SmtpListener.defaultPolicy(this::serverContext);
    private final AtomicReference<ServerContext> context = new AtomicReference<>();
    private volatile Predicate<Map<String, Object>> handlerFilter = p -> false;
    private volatile Handler fixedHandler;
    private volatile Authenticator fileAuthenticator;
    private BundleContext bundleContext;
    private ScheduledThreadPoolExecutor timer;
    private volatile SmtpListener listener;
    private ServiceRegistration<RunningServer> registration;
    private String name;
    /** Counters (kept across configuration updates), sessions, health; the MXBean export. */
    private ServerOperations operations;
    private JmxExport jmx;

    @Activate
    void activate(BundleContext bundleContext, ServerConfig config, Map<String, Object> properties)
            throws IOException {
        this.bundleContext = bundleContext;
        this.name = nameOf(properties);
        this.timer = ServerRuntime.newTimer(name);
        this.operations = new ServerOperations(name, () -> listener, context::get);
        configure(config);
        SmtpListener l = new SmtpListener(context::get, this::connectionPolicy);
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
        ServerSettings before = context.get().settings();
        ServerSettings next = ConfigMapping.toSettings(config); // a bad value changes nothing
        if (next.bindAddress().equals(before.bindAddress())) {
            configure(config);
        } else {
            LOG.info("{}: address changed, rebinding to {}:{}", name, next.host(), next.port());
            SmtpListener fresh = new SmtpListener(context::get, this::connectionPolicy);
            fresh.start(next.bindAddress()); // fails before anything changed: the old listener keeps serving
            configure(config);
            SmtpListener old = listener;
            listener = fresh;
            old.stop(10, TimeUnit.SECONDS);
        }
        registration.setProperties(registrationProperties());
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

    /** Applies a configuration: everything is computed (and may fail) before anything changes. */
    private void configure(ServerConfig config) {
        ServerSettings settings = ConfigMapping.toSettings(config);
        String target = config.handler_target().trim();
        String spec = config.handler().trim();
        Predicate<Map<String, Object>> filter = p -> false;
        Handler fixed = null;
        if (!target.isEmpty()) {
            filter = filter(target)::matches;
        } else if (spec.contains(":")) {
            fixed = BuiltinHandlers.fromSpec(spec);
        } else {
            filter = filter("(" + Handler.NAME + "=" + escape(spec) + ")")::matches;
        }
        Authenticator fromFile = ServerRuntime.authenticatorFor(settings);
        ServerContext next = new ServerContext(name, settings, ServerRuntime.hostname(settings),
                ServerRuntime.ident(settings), this::currentHandler, commands::table, this::currentAuthenticator,
                this::currentMechanisms, timer).metrics(operations.metrics()); // loads the certificates
        handlerFilter = filter;
        fixedHandler = fixed;
        fileAuthenticator = fromFile;
        commands.builtins(settings);
        context.set(next);
        LOG.info("{}: handler {}", name, target.isEmpty() ? spec : target);
    }

    private Handler currentHandler() {
        Handler fixed = fixedHandler;
        return fixed != null ? fixed : handlers.best(handlerFilter);
    }

    private ServerContext serverContext() {
        return context.get();
    }

    private ConnectionPolicy connectionPolicy() {
        ConnectionPolicy service = policies.best(p -> true);
        return service != null ? service : defaultPolicy.get();
    }

    /** Custom SASL mechanisms by name; for a name claimed twice the highest ranking wins. */
    private Map<String, AuthMechanism> currentMechanisms() {
        Map<String, AuthMechanism> byName = new java.util.HashMap<>();
        for (RankedServices.Entry<AuthMechanism> entry : mechanisms.all()) {
            Object property = entry.properties().get(AuthMechanism.MECHANISM);
            String mechanism = property instanceof String ? (String) property : entry.service().name();
            if (mechanism != null && !mechanism.isBlank()) {
                byName.putIfAbsent(mechanism.strip().toUpperCase(java.util.Locale.ROOT), entry.service());
            }
        }
        return byName;
    }

    private Authenticator currentAuthenticator() {
        Authenticator service = authenticators.best(p -> true);
        return service != null ? service : fileAuthenticator;
    }

    private void register() {
        registration = bundleContext.registerService(RunningServer.class, this, registrationProperties());
        jmx = JmxExport.start(bundleContext, operations, name);
    }

    private Dictionary<String, Object> registrationProperties() {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(RunningServer.NAME, name);
        InetSocketAddress address = listener.localAddress();
        props.put("smtp.server.address", address.getAddress().getHostAddress());
        props.put("smtp.server.port", address.getPort());
        return props;
    }

    private void unregister() {
        if (jmx != null) {
            jmx.stop();
            jmx = null;
        }
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

    @Reference(service = AuthMechanism.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindAuthMechanism(AuthMechanism mechanism, Map<String, Object> properties) {
        mechanisms.add(mechanism, properties);
    }

    void unbindAuthMechanism(AuthMechanism mechanism) {
        mechanisms.remove(mechanism);
    }

    @Reference(service = ConnectionPolicy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindConnectionPolicy(ConnectionPolicy policy, Map<String, Object> properties) {
        policies.add(policy, properties);
    }

    void unbindConnectionPolicy(ConnectionPolicy policy) {
        policies.remove(policy);
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

    @Override
    public io.smtpd.server.ServerStatsMXBean stats() {
        return operations.stats();
    }

    @Override
    public java.util.List<io.smtpd.server.SessionInfo> sessions() {
        return operations.sessions();
    }

    @Override
    public boolean kill(String sessionId) {
        return operations.kill(sessionId);
    }

    @Override
    public io.smtpd.server.ServerHealth health(int warnDays) {
        return operations.health(warnDays);
    }

    /**
     * The server's name: an explicit {@code name} property; else the name of a Configuration Admin 1.6 factory
     * configuration ({@code io.smtpd.server~NAME}); else Karaf's alias from its configuration file
     * ({@code io.smtpd.server-NAME.cfg}); else what follows the factory PID.
     */
    static String nameOf(Map<String, Object> properties) {
        Object explicit = properties.get("name");
        if (explicit != null && !explicit.toString().isBlank()) {
            return explicit.toString().trim();
        }
        String pid = String.valueOf(properties.getOrDefault(Constants.SERVICE_PID, ServerConfig.PID));
        int tilde = pid.indexOf('~');
        if (tilde >= 0) {
            return pid.substring(tilde + 1);
        }
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String base = file.toString().replaceFirst(".*[/\\\\]", "").replaceFirst("\\.cfg$", "");
            if (base.startsWith(ServerConfig.PID + "-")) {
                return base.substring(ServerConfig.PID.length() + 1);
            }
        }
        return pid.startsWith(ServerConfig.PID + ".") ? pid.substring(ServerConfig.PID.length() + 1) : pid;
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
