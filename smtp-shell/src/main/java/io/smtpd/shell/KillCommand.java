package io.smtpd.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

/** {@code smtp:kill <id>}. */
@Service
@Command(scope = "smtp", name = "kill",
        description = "Closes an SMTP session at once with 421 (a command or message under way is abandoned)")
public class KillCommand implements Action {
    @Reference
    BundleContext bundleContext;

    @Argument(index = 0, name = "id", description = "The session id (see smtp:sessions)", required = true)
    String id;

    @Override
    public Object execute() {
        System.out.println(Reports.kill(RunningServers.of(bundleContext, null), id));
        return null;
    }
}
