package io.smtpd.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

/** {@code smtp:sessions [server]}. */
@Service
@Command(scope = "smtp", name = "sessions",
        description = "Lists the open SMTP sessions: id, server, client, state, age, bytes in and out")
public class SessionsCommand implements Action {
    @Reference
    BundleContext bundleContext;

    @Argument(index = 0, name = "server", description = "Only this server's sessions", required = false)
    String server;

    @Override
    public Object execute() {
        System.out.print(Reports.sessions(RunningServers.of(bundleContext, server)));
        return null;
    }
}
