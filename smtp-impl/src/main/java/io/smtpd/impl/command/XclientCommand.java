package io.smtpd.impl.command;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.smtpd.api.reply.Reply;
import io.smtpd.impl.parse.DsnParser;
import io.smtpd.impl.protocol.Cidr;
import io.smtpd.impl.protocol.Command;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.SessionState;

/**
 * XCLIENT (Postfix's XCLIENT_README): a proxy in a trusted network replaces the client facts of the session
 * (ADDR, PORT, NAME, HELO, PROTO, LOGIN, values in xtext) and the session starts afresh with a new {@code 220}
 * greeting, as Postfix does. Everyone else gets {@code 550 5.7.0 Error: insufficient authorization}.
 */
public final class XclientCommand implements Command {
    /** The attributes this server takes, as advertised after {@code XCLIENT} in EHLO. */
    static final String ATTRIBUTES = "ADDR PORT NAME HELO PROTO LOGIN";
    private static final Set<String> NAMES = Set.of("ADDR", "PORT", "NAME", "HELO", "PROTO", "LOGIN");

    /** Whether the connecting client (before any XCLIENT) is in the trusted networks. */
    static boolean trusted(Conversation c) {
        List<String> networks = c.settings().xclientTrustedNetworks();
        if (networks.isEmpty()) {
            return false;
        }
        SessionState session = c.session();
        InetSocketAddress client = session.proxyData().map(p -> p.source()).orElse(session.peer());
        return client != null && Cidr.anyContains(networks, client.getAddress());
    }

    @Override
    public void execute(Conversation c, String argument) {
        if (!trusted(c)) {
            c.reply(EsmtpReplies.S550_XCLIENT_NOT_AUTHORIZED);
            return;
        }
        if (argument == null) {
            c.reply(EsmtpReplies.S501_XCLIENT_SYNTAX);
            return;
        }
        if (c.envelope().inTransaction()) {
            c.reply(EsmtpReplies.S503_XCLIENT_IN_TRANSACTION);
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String word : argument.strip().split("\\s+")) {
            int eq = word.indexOf('=');
            String name = (eq < 0 ? word : word.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (eq <= 0 || !NAMES.contains(name)) {
                c.reply(Reply.of(501, "5.5.4", "Bad XCLIENT attribute name: " + name));
                return;
            }
            String value = DsnParser.xtext(word.substring(eq + 1));
            if (value == null || value.isEmpty()) {
                c.reply(Reply.of(501, "5.5.4", "Bad " + name + " syntax: " + word.substring(eq + 1)));
                return;
            }
            if (value.equalsIgnoreCase("[UNAVAILABLE]") || value.equalsIgnoreCase("[TEMPUNAVAIL]")) {
                attributes.remove(name);
                continue;
            }
            attributes.put(name, value);
        }
        InetSocketAddress current = c.session().clientAddress();
        InetAddress address = current == null ? null : current.getAddress();
        int port = current == null ? 0 : current.getPort();
        String addr = attributes.get("ADDR");
        if (addr != null) {
            address = ipLiteral(addr);
            if (address == null) {
                c.reply(Reply.of(501, "5.5.4", "Bad ADDR syntax: " + addr));
                return;
            }
            port = 0;
        }
        String portText = attributes.get("PORT");
        if (portText != null) {
            port = port(portText);
            if (port < 0) {
                c.reply(Reply.of(501, "5.5.4", "Bad PORT syntax: " + portText));
                return;
            }
        }
        String proto = attributes.get("PROTO");
        if (proto != null) {
            proto = proto.toUpperCase(Locale.ROOT);
            if (!proto.equals("SMTP") && !proto.equals("ESMTP")) {
                c.reply(Reply.of(501, "5.5.4", "Bad PROTO syntax: " + attributes.get("PROTO")));
                return;
            }
            attributes.put("PROTO", proto);
        }
        SessionState old = c.session();
        SessionState fresh = new SessionState(old.id(), old.peer(), old.localAddress(), old.serverHostname(),
                old.lmtp());
        old.proxyData().ifPresent(fresh::proxyData);
        old.tls().ifPresent(fresh::tls);
        boolean changed = addr != null || portText != null;
        fresh.xclient(changed && address != null ? new InetSocketAddress(address, port) : null, attributes);
        String login = attributes.get("LOGIN");
        if (login != null) {
            fresh.authenticate(login);
        }
        c.restartSession(fresh);
    }

    /** An IPv4 literal, or {@code IPV6:} and an IPv6 literal; {@code null} otherwise. No name is looked up. */
    private static InetAddress ipLiteral(String text) {
        String t = text;
        boolean v6 = false;
        if (t.regionMatches(true, 0, "IPV6:", 0, 5)) {
            t = t.substring(5);
            v6 = true;
        }
        if (t.isEmpty()) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            boolean ok = v6 ? ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0 : ch == '.' || ch >= '0' && ch <= '9';
            if (!ok) {
                return null;
            }
        }
        try {
            InetAddress address = InetAddress.getByName(t);
            return (address.getAddress().length == 16) == v6 ? address : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port <= 65535 ? port : -1;
    }
}
