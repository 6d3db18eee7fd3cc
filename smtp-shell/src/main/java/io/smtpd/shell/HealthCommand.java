package io.smtpd.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

import io.smtpd.server.ServerHealth;

/** {@code smtp:health [--warn-days N]}. */
@Service
@Command(scope = "smtp", name = "health",
        description = "Checks each SMTP server: listener bound, handler present, TLS certificate expiry")
public class HealthCommand implements Action {
    @Reference
    BundleContext bundleContext;

    @Option(name = "--warn-days", description = "Warn when a certificate expires within this many days")
    int warnDays = ServerHealth.DEFAULT_WARN_DAYS;

    @Override
    public Object execute() {
        System.out.print(Reports.health(RunningServers.of(bundleContext, null), warnDays));
        return null;
    }
}
