package io.smtpd.shell;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.smtpd.server.RunningServer;

/** The {@link RunningServer} services now (one per configured server), optionally only the one named. */
final class RunningServers {
    private RunningServers() {
    }

    static List<RunningServer> of(BundleContext context, String name) {
        List<RunningServer> servers = new ArrayList<>();
        try {
            String filter = name == null ? null : "(" + RunningServer.NAME + "=" + escape(name) + ")";
            for (ServiceReference<RunningServer> ref : context.getServiceReferences(RunningServer.class, filter)) {
                RunningServer server = context.getService(ref);
                if (server != null) {
                    servers.add(server);
                    context.ungetService(ref); // used at once, by this command only
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        return servers;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
