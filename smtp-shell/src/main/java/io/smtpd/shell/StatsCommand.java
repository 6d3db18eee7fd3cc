package io.smtpd.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

import io.smtpd.server.RunningServer;

/** {@code smtp:stats [--reset] [server]}. */
@Service
@Command(scope = "smtp", name = "stats", description = "Shows the counters of the SMTP servers (also over JMX)")
public class StatsCommand implements Action {
    @Reference
    BundleContext bundleContext;

    @Argument(index = 0, name = "server", description = "Only this server", required = false)
    String server;

    @Option(name = "--reset", description = "Zero the counters after showing them")
    boolean reset;

    @Override
    public Object execute() {
        java.util.List<RunningServer> servers = RunningServers.of(bundleContext, server);
        System.out.print(Reports.stats(servers));
        if (reset) {
            servers.stream().filter(s -> s.stats() != null).forEach(s -> s.stats().reset());
        }
        return null;
    }
}
