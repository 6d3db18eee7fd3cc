package io.smtpd.itest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Servers as the service registry shows them: each bound server registers {@code io.smtpd.server.RunningServer}
 * with its name and port. Only JDK, OSGi framework and Configuration Admin types here, so the Karaf test can use
 * this class before the smtpd feature is installed.
 */
public final class Servers {
    /** The factory PID of a server configuration. */
    public static final String FACTORY_PID = "io.smtpd.server";
    static final String RUNNING_SERVER = "io.smtpd.server.RunningServer";
    static final String NAME = "smtp.server.name";
    static final String PORT = "smtp.server.port";

    private Servers() {
    }

    /** Waits until the server {@code name} is bound, and returns its port. */
    public static int awaitPort(BundleContext context, String name) {
        return Await.value("server '" + name + "' to be bound", () -> port(context, name));
    }

    /** Waits until the server {@code name} is bound to a port other than {@code oldPort}, and returns it. */
    public static int awaitNewPort(BundleContext context, String name, int oldPort) {
        return Await.value("server '" + name + "' to rebind away from port " + oldPort, () -> {
            Integer port = port(context, name);
            return port != null && port != oldPort ? port : null;
        });
    }

    /** Waits until no server {@code name} is registered. */
    public static void awaitGone(BundleContext context, String name) {
        Await.until("server '" + name + "' to be gone", () -> port(context, name) == null);
    }

    /** The port of the running server {@code name}, or {@code null}. */
    public static Integer port(BundleContext context, String name) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(RUNNING_SERVER, "(" + NAME + "=" + name + ")");
            if (refs == null || refs.length == 0) {
                return null;
            }
            Object port = refs[0].getProperty(PORT);
            return port instanceof Integer ? (Integer) port : Integer.valueOf(String.valueOf(port));
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Deletes every server configuration (and waits for the servers to go). */
    public static void deleteAll(BundleContext context, ConfigurationAdmin configAdmin)
            throws IOException, InvalidSyntaxException {
        Configuration[] configs = configAdmin.listConfigurations("(service.factoryPid=" + FACTORY_PID + ")");
        if (configs != null) {
            for (Configuration config : configs) {
                String pid = config.getPid();
                config.delete();
                awaitGone(context, pid.substring(pid.indexOf('~') + 1));
            }
        }
    }

    /** A port nobody listens on now (bound and released at once). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(SmtpClient.HOST))) {
            return socket.getLocalPort();
        }
    }

    /** Whether a new listener could bind {@code port} on 127.0.0.1 now, that is, the server released it. */
    public static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(SmtpClient.HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a connection to {@code port} is refused, that is, nothing listens there. */
    public static boolean refuses(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(SmtpClient.HOST, port), 2_000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
