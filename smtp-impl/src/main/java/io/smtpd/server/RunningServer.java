package io.smtpd.server;

import java.net.InetSocketAddress;

/**
 * A server that is bound and serving. The plain-Java {@link SmtpServer} is one; in OSGi each configured server
 * registers itself as a service of this interface, with the property {@link #NAME}, once its port is open.
 */
public interface RunningServer {
    /** Service property: the server's name (the name part of its factory configuration's PID). */
    String NAME = "smtp.server.name";

    /** The server's name. */
    String name();

    /** The address the listener is bound to (the real port when 0 was asked for). */
    InetSocketAddress localAddress();

    /** The settings it serves with. */
    ServerSettings settings();

    /** Sessions open now. */
    int openSessions();
}
