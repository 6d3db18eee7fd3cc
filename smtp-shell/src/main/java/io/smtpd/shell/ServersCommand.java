package io.smtpd.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

/** {@code smtp:servers}. */
@Service
@Command(scope = "smtp", name = "servers",
        description = "Lists the SMTP servers: name, address, handler, state, open sessions")
public class ServersCommand implements Action {
    @Reference
    BundleContext bundleContext;

    @Override
    public Object execute() {
        System.out.print(Reports.servers(RunningServers.of(bundleContext, null)));
        return null;
    }
}
