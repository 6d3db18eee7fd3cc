package io.smtpd.impl.server;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;

import javax.management.ObjectName;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.smtpd.server.ServerStatsMXBean;

/**
 * How a server component puts its {@link ServerStatsMXBean} into JMX, chosen by the framework (or system) property
 * {@value #PROPERTY}:
 * <ul>
 * <li>{@code whiteboard}: an OSGi service with the property {@code jmx.objectname}, for a JMX whiteboard (Karaf's
 * Aries JMX whiteboard registers it in the MBean server);</li>
 * <li>{@code platform}: straight into the platform MBean server (the executable JAR, Felix without a whiteboard);</li>
 * <li>{@code none};</li>
 * <li>{@code auto} (the default): {@code whiteboard} when the Aries JMX whiteboard bundle
 * ({@value #WHITEBOARD_BSN}) is installed, else {@code platform}. Only one of the two is ever active.</li>
 * </ul>
 */
final class JmxExport {
    static final String PROPERTY = "smtpd.jmx";
    static final String WHITEBOARD_BSN = "org.apache.aries.jmx.whiteboard";
    private static final Logger LOG = LoggerFactory.getLogger(JmxExport.class);

    private final ServerOperations operations;
    private ServiceRegistration<ServerStatsMXBean> service;

    private JmxExport(ServerOperations operations) {
        this.operations = operations;
    }

    static JmxExport start(BundleContext bundleContext, ServerOperations operations, String serverName) {
        JmxExport export = new JmxExport(operations);
        String mode = mode(bundleContext);
        try {
            if ("whiteboard".equals(mode)) {
                Dictionary<String, Object> props = new Hashtable<>();
                ObjectName name = ServerOperations.objectName(serverName);
                props.put("jmx.objectname", name.toString());
                props.put(io.smtpd.server.RunningServer.NAME, serverName);
                export.service = bundleContext.registerService(ServerStatsMXBean.class, operations.stats(), props);
                LOG.debug("{}: MXBean service {}", serverName, name);
            } else if ("platform".equals(mode)) {
                operations.registerPlatform();
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot export the MXBean: {}", serverName, e.toString());
        }
        return export;
    }

    void stop() {
        if (service != null) {
            try {
                service.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            service = null;
        }
        operations.unregisterPlatform();
    }

    static String mode(BundleContext bundleContext) {
        String configured = bundleContext.getProperty(PROPERTY);
        String mode = configured == null ? "auto" : configured.trim().toLowerCase(Locale.ROOT);
        if (!"auto".equals(mode)) {
            return mode;
        }
        for (Bundle bundle : bundleContext.getBundles()) {
            if (WHITEBOARD_BSN.equals(bundle.getSymbolicName()) && bundle.getState() != Bundle.UNINSTALLED) {
                return "whiteboard";
            }
        }
        return "platform";
    }
}
