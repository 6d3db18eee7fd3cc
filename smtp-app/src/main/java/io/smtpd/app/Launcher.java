package io.smtpd.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * The main program of {@code smtp-server.jar}: turns the command line (the aQute launcher's
 * {@code launcher.arguments}) into the factory configuration {@code io.smtpd.server~cli}, owns the main thread (the
 * launcher calls this {@code main.thread} Callable and exits with its value) and the signals.
 *
 * <p>Exit status: 0 after SIGTERM or SIGINT (or {@code --help}), 1 when the server fails to start, 2 for a bad
 * command line.
 */
@Component(immediate = true, service = Callable.class, property = "main.thread=true")
public class Launcher implements Callable<Integer> {
    /** The factory PID of the server component ({@code ServerConfig.PID} in smtp-impl). */
    static final String FACTORY_PID = "io.smtpd.server";
    /** The name of the factory configuration this launcher writes. */
    static final String NAME = "cli";
    static final String LAUNCHER_ARGUMENTS = "launcher.arguments";
    static final String RUNNING_SERVER = "io.smtpd.server.RunningServer";
    static final String RUNNING_FILTER = "(&(objectClass=" + RUNNING_SERVER + ")(smtp.server.name=" + NAME + "))";

    static final int STATUS_OK = 0;
    static final int STATUS_FAILED = 1;
    static final int STATUS_USAGE = 2;

    /** How long the server may take to open its port (override: system property {@code smtpd.startup.timeout}). */
    static final long STARTUP_TIMEOUT_MS = Long.getLong("smtpd.startup.timeout", 20_000L);
    /** How long to wait for the server to close after its configuration is deleted; it promises 10 s. */
    static final long SHUTDOWN_WAIT_MS = 10_000L;
    private static final long POLL_MS = 25L;

    /** Process-wide, like the signals: set by SIGTERM/SIGINT. */
    private static volatile boolean stopRequested;
    /** Released on every event the main thread waits for: a signal, a RunningServer service event. */
    private static final Semaphore WAKE = new Semaphore(0);

    @Reference
    private ConfigurationAdmin configurationAdmin;
    @Reference
    private ServiceComponentRuntime componentRuntime;

    private volatile String[] arguments = new String[0];
    private volatile BundleContext context;
    private volatile CommandLine commandLine;
    private volatile UsageException usageError;
    private volatile IOException configurationError;
    private volatile Configuration configuration;

    /** The aQute launcher's own service, registered before any bundle starts; it carries the command line. */
    @Reference(name = "launcher", service = Object.class, target = "(" + LAUNCHER_ARGUMENTS + "=*)",
            updated = "updatedLauncher")
    void bindLauncher(Map<String, Object> properties) {
        arguments = toArguments(properties.get(LAUNCHER_ARGUMENTS));
    }

    /**
     * The launcher later adds {@code launcher.ready=true} to its service. Without this method Declarative Services
     * would re-activate the component for that change (a second configuration write, racing with {@link #call()}).
     */
    void updatedLauncher(Map<String, Object> properties) {
        // nothing to do: the arguments do not change
    }

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
        BufferedStderr.install();
        // Before the server is configured, so that a SIGTERM right after "ready" never reaches the JVM's default
        // handler (exit 143 without closing the server).
        installSignalHandlers();
        CommandLine parsed;
        try {
            parsed = CommandLine.parse(arguments);
        } catch (UsageException e) {
            usageError = e;
            return;
        }
        commandLine = parsed;
        if (parsed.help()) {
            return;
        }
        raiseLogLevel(parsed.debug());
        try {
            Configuration c = configurationAdmin.getFactoryConfiguration(FACTORY_PID, NAME, "?");
            configuration = c;
            c.updateIfDifferent(new Hashtable<>(parsed.properties()));
        } catch (IOException | RuntimeException e) {
            configurationError = e instanceof IOException io ? io : new IOException(e);
        }
    }

    /** Runs on the launcher's main thread; the process exits with the returned status. */
    @Override
    public Integer call() throws Exception {
        UsageException usage = usageError;
        if (usage != null) {
            System.err.println(CommandLine.PROGRAM + ": " + usage.getMessage());
            System.err.println(CommandLine.usageHint());
            BufferedStderr.flushNow();
            return STATUS_USAGE;
        }
        CommandLine cl = commandLine;
        if (cl == null) {
            return fail("not started: the command line was not received");
        }
        if (cl.help()) {
            System.out.print(CommandLine.usage());
            System.out.flush();
            return STATUS_OK;
        }
        if (configurationError != null) {
            return fail("cannot configure the server: " + configurationError.getMessage());
        }
        ServiceListener listener = event -> WAKE.release();
        context.addServiceListener(listener, RUNNING_FILTER);
        try {
            Integer failed = awaitStartup();
            if (failed != null) {
                return failed;
            }
            HeapTuning.apply(); // after the port is open: the platform MBean server costs ~0.1 s to start
            NativeHeapTrimmer.start();
            while (!stopRequested) {
                WAKE.tryAcquire(1, TimeUnit.SECONDS);
            }
            shutdown();
            return STATUS_OK;
        } finally {
            try {
                context.removeServiceListener(listener);
            } catch (IllegalStateException stopping) {
                // the bundle is already stopping
            }
        }
    }

    /** Null once the server serves, else the exit status (after a stop request during startup: 0). */
    private Integer awaitStartup() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_TIMEOUT_MS);
        while (true) {
            if (stopRequested) {
                shutdown();
                return STATUS_OK;
            }
            if (running()) {
                return null;
            }
            ComponentConfigurationDTO server = serverComponent();
            if (server != null && server.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                deleteConfiguration();
                return fail("cannot start: " + reason(server.failure));
            }
            if (System.nanoTime() - deadline > 0) {
                deleteConfiguration();
                return fail("cannot start: " + notReady(server));
            }
            WAKE.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Deletes the configuration, so the server closes gracefully, and waits (bounded) until it is gone. */
    private void shutdown() throws InterruptedException {
        deleteConfiguration();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_WAIT_MS);
        while ((running() || serverComponent() != null) && System.nanoTime() - deadline < 0) {
            WAKE.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS);
        }
    }

    private int fail(String message) {
        System.err.println(CommandLine.PROGRAM + ": " + message);
        BufferedStderr.flushNow();
        return STATUS_FAILED;
    }

    private void deleteConfiguration() {
        Configuration c = configuration;
        configuration = null;
        if (c != null) {
            try {
                c.delete();
            } catch (IOException | IllegalStateException e) {
                // already gone, or Configuration Admin is stopping: the framework stop closes the server anyway
            }
        }
    }

    private boolean running() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, RUNNING_FILTER);
            return refs != null && refs.length > 0;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IllegalStateException stopping) {
            return false;
        }
    }

    /** The server component's configuration made from our configuration, if Declarative Services has one. */
    private ComponentConfigurationDTO serverComponent() {
        String pid = FACTORY_PID + "~" + NAME;
        try {
            for (ComponentDescriptionDTO description : componentRuntime.getComponentDescriptionDTOs()) {
                for (ComponentConfigurationDTO c : componentRuntime.getComponentConfigurationDTOs(description)) {
                    if (c.properties != null && hasValue(c.properties.get("service.pid"), pid)) {
                        return c;
                    }
                }
            }
        } catch (RuntimeException stopping) {
            // Declarative Services is going away
        }
        return null;
    }

    private static boolean hasValue(Object value, String wanted) {
        if (value instanceof String s) {
            return s.equals(wanted);
        }
        if (value instanceof String[] array) {
            return List.of(array).contains(wanted);
        }
        if (value instanceof Collection<?> collection) {
            return collection.contains(wanted);
        }
        return false;
    }

    private static String notReady(ComponentConfigurationDTO server) {
        String after = " after " + STARTUP_TIMEOUT_MS / 1000.0 + " s";
        if (server == null) {
            return "no server component took the configuration " + FACTORY_PID + "~" + NAME + after;
        }
        if (server.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE && server.unsatisfiedReferences != null) {
            List<String> missing = new ArrayList<>();
            for (UnsatisfiedReferenceDTO ref : server.unsatisfiedReferences) {
                missing.add(ref.name + (ref.target == null ? "" : " " + ref.target));
            }
            return "the server is still waiting for " + String.join(", ", missing) + after;
        }
        return "the server did not open its port" + after;
    }

    /**
     * The failure text of Declarative Services is a stack trace. Keep the messages of the exception and of its causes
     * ("Error while binding on /127.0.0.1:25: Address already in use"), drop the frames and the class names (a class
     * name stays where there is no message), and skip a cause whose text its wrapper already repeats.
     */
    static String reason(String failure) {
        if (failure == null || failure.isBlank()) {
            return "the server component failed to activate";
        }
        StringBuilder out = new StringBuilder();
        for (String line : failure.split("\\R")) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                continue; // a frame, "... n more", or a suppressed exception
            }
            String text = line.strip();
            if (text.startsWith("Caused by: ")) {
                text = text.substring("Caused by: ".length());
            }
            Matcher m = EXCEPTION_LINE.matcher(text);
            if (m.matches()) {
                text = m.group(2) != null && !m.group(2).isBlank() ? m.group(2).strip() : m.group(1);
            }
            if (out.indexOf(text) >= 0) {
                continue;
            }
            if (out.length() > 0) {
                out.append(": ");
            }
            out.append(text);
        }
        return out.length() == 0 ? "the server component failed to activate" : out.toString();
    }

    /** "java.net.BindException: Address already in use": a qualified class name, then maybe the message. */
    private static final Pattern EXCEPTION_LINE =
            Pattern.compile("((?:[\\p{L}_$][\\p{L}\\p{N}_$]*\\.)+[\\p{L}_$][\\p{L}\\p{N}_$]*)(?::\\s?(.*))?");

    private static String[] toArguments(Object value) {
        if (value instanceof String[] array) {
            return array.clone();
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toArray(String[]::new);
        }
        return new String[0];
    }

    /** -d: debug, -dd: trace. Effective when slf4j-simple has not initialised yet, which is before any server. */
    private static void raiseLogLevel(int debug) {
        if (debug > 0) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", debug == 1 ? "debug" : "trace");
        }
    }

    @SuppressWarnings("restriction")
    private static void installSignalHandlers() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    stopRequested = true;
                    WAKE.release();
                });
            } catch (IllegalArgumentException unsupported) {
                // e.g. under -Xrs: the JVM keeps its default handling
            }
        }
    }
}
