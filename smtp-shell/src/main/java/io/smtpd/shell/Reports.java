package io.smtpd.shell;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.smtpd.server.RunningServer;
import io.smtpd.server.ServerHealth;
import io.smtpd.server.ServerStatsMXBean;
import io.smtpd.server.SessionInfo;

/** The text the commands print, from running servers: plain Java, so that it is testable without Karaf. */
public final class Reports {
    private Reports() {
    }

    /** {@code smtp:servers}: name, address, handler, state, open sessions. */
    public static String servers(List<? extends RunningServer> servers) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Name", "Address", "Handler", "State", "Sessions"});
        for (RunningServer server : sorted(servers)) {
            ServerHealth health = server.health();
            rows.add(new String[] {server.name(), address(server.localAddress()),
                    health.handlerPresent() ? "present" : "none", health.status().name(),
                    Integer.toString(server.openSessions())});
        }
        return table(rows);
    }

    /** {@code smtp:sessions}: id, server, client, state, age, bytes in and out. */
    public static String sessions(List<? extends RunningServer> servers) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Id", "Server", "Client", "State", "Age", "Bytes in", "Bytes out"});
        for (RunningServer server : sorted(servers)) {
            for (SessionInfo session : server.sessions()) {
                rows.add(new String[] {session.id(), session.server(), address(session.client()), session.state(),
                        age(session.age()), Long.toString(session.bytesReceived()),
                        Long.toString(session.bytesSent())});
            }
        }
        return table(rows);
    }

    /**
     * {@code smtp:kill}: closes the session with {@code 421} on whichever server has it.
     *
     * @return what to print
     */
    public static String kill(List<? extends RunningServer> servers, String sessionId) {
        for (RunningServer server : servers) {
            if (server.kill(sessionId)) {
                return "Session " + sessionId + " on " + server.name() + " closed with 421";
            }
        }
        return "No open session " + sessionId;
    }

    /** {@code smtp:stats}: every counter of each server. */
    public static String stats(List<? extends RunningServer> servers) {
        StringBuilder out = new StringBuilder();
        for (RunningServer server : sorted(servers)) {
            ServerStatsMXBean s = server.stats();
            out.append(server.name()).append(" (").append(address(server.localAddress())).append(")\n");
            if (s == null) {
                out.append("  no statistics\n");
                continue;
            }
            line(out, "sessions open", s.getSessionsOpen());
            line(out, "sessions total", s.getSessionsTotal());
            line(out, "sessions refused", s.getSessionsRefused());
            line(out, "commands", s.getCommands());
            line(out, "messages accepted", s.getMessagesAccepted());
            line(out, "messages rejected", s.getMessagesRejected());
            line(out, "bytes received", s.getBytesReceived());
            line(out, "replies 2xx", s.getReplies2xx());
            line(out, "replies 3xx", s.getReplies3xx());
            line(out, "replies 4xx", s.getReplies4xx());
            line(out, "replies 5xx", s.getReplies5xx());
            line(out, "TLS handshakes", s.getTlsHandshakes());
            line(out, "TLS failures", s.getTlsFailures());
            line(out, "AUTH successes", s.getAuthSuccesses());
            line(out, "AUTH failures", s.getAuthFailures());
            line(out, "handler calls", s.getHandlerCalls());
            line(out, "handler time total (us)", s.getHandlerTimeTotalMicros());
            line(out, "handler time max (us)", s.getHandlerTimeMaxMicros());
        }
        return out.toString();
    }

    /** {@code smtp:health}: status, listener, handler and certificates of each server. */
    public static String health(List<? extends RunningServer> servers, int warnDays) {
        StringBuilder out = new StringBuilder();
        for (RunningServer server : sorted(servers)) {
            ServerHealth h = server.health(warnDays);
            out.append(server.name()).append(": ").append(h.status()).append('\n');
            out.append("  listener ").append(h.bound() ? "bound to " + address(h.address()) : "not bound").append('\n');
            out.append("  handler ").append(h.handlerPresent() ? "present" : "none").append('\n');
            for (ServerHealth.CertificateExpiry c : h.certificates()) {
                out.append("  ").append(c.use()).append(" certificate ").append(c.subject()).append(" expires ")
                        .append(c.notAfter()).append(" (").append(c.daysLeft()).append(" days)\n");
            }
            for (String problem : h.problems()) {
                out.append("  ! ").append(problem).append('\n');
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, long value) {
        out.append(String.format(Locale.ROOT, "  %-24s %d%n", label, value));
    }

    private static List<RunningServer> sorted(List<? extends RunningServer> servers) {
        List<RunningServer> list = new ArrayList<>(servers);
        list.sort(Comparator.comparing(RunningServer::name));
        return list;
    }

    static String address(InetSocketAddress address) {
        if (address == null) {
            return "-";
        }
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    static String age(Duration age) {
        long s = age.getSeconds();
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }

    /** Columns padded to their widest cell, a rule under the header. */
    static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < widths.length; i++) {
                    rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
                }
                out.append(rule).append('\n');
            }
        }
        return out.toString();
    }
}
