package io.smtpd.esmtp;

import static io.smtpd.esmtp.Esmtp.HOST;
import static io.smtpd.esmtp.Esmtp.keywords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.impl.protocol.Cidr;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;

/** XCLIENT (Postfix): only for trusted networks; replaces the client facts and restarts the session. */
class XclientTest {
    /** What the DATA hook saw of the session. */
    record Seen(String address, int port, Map<String, String> attributes, boolean authenticated, Object login) {
    }

    private final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final Handler handler = new Handler() {
        @Override
        public HookResult handleData(Session session, Envelope envelope) {
            seen.add(new Seen(session.clientAddress().getAddress().getHostAddress(), session.clientAddress().getPort(),
                    session.xclientAttributes(), session.authenticated(), session.authData().orElse(null)));
            return HookResult.proceed();
        }
    };

    @Test
    void untrustedClientsAreRefusedAndNotOffered() throws Exception {
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings()); RawClient c = Esmtp.ehloed(s)) {
            assertFalse(c.command("EHLO client").contains("XCLIENT"));
            assertEquals("550 Error: insufficient authorization", c.command("XCLIENT ADDR=192.0.2.7"));
        }
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings().enhancedStatusCodes(true)
                .xclientTrustedNetworks(List.of("10.0.0.0/8", "2001:db8::/32")));
             RawClient c = Esmtp.ehloed(s)) {
            assertFalse(c.command("EHLO client").contains("XCLIENT"));
            assertEquals("550 5.7.0 Error: insufficient authorization", c.command("XCLIENT ADDR=192.0.2.7"));
        }
    }

    @Test
    void trustedClientsReplaceTheFactsAndTheSessionRestarts() throws Exception {
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings()
                .xclientTrustedNetworks(List.of("127.0.0.0/8")));
             RawClient c = Esmtp.greeted(s)) {
            assertTrue(keywords(c.command("EHLO proxy")).contains("XCLIENT ADDR PORT NAME HELO PROTO LOGIN"));
            String greeting = c.command("XCLIENT ADDR=192.0.2.7 PORT=4321 NAME=mail.example.org "
                    + "HELO=mail.example.org PROTO=esmtp LOGIN=anne+40example.org");
            assertTrue(greeting.startsWith("220 " + HOST + " "), greeting);
            assertEquals("503 Error: send HELO first", c.command("MAIL FROM:<anne@example.com>"),
                    "the session restarted");
            c.command("EHLO mail.example.org");
            assertEquals("250 OK", c.command("MAIL FROM:<anne@example.com>"));
            assertEquals("503 Error: MAIL transaction in progress", c.command("XCLIENT ADDR=192.0.2.8"));
            assertEquals("250 OK", c.command("RCPT TO:<bart@example.com>"));
            assertEquals("250 OK", c.sendRaw("BDAT 2 LAST\r\nhi").reply());
            Seen got = seen.poll(5, TimeUnit.SECONDS);
            assertEquals("192.0.2.7", got.address());
            assertEquals(4321, got.port());
            assertEquals(Map.of("ADDR", "192.0.2.7", "PORT", "4321", "NAME", "mail.example.org",
                    "HELO", "mail.example.org", "PROTO", "ESMTP", "LOGIN", "anne@example.org"), got.attributes());
            assertTrue(got.authenticated());
            assertEquals("anne@example.org", got.login());
            // trust stays with the connecting proxy, not the address it announced
            assertTrue(c.command("XCLIENT ADDR=IPV6:2001:db8::1 NAME=[UNAVAILABLE]").startsWith("220 "));
            c.command("EHLO x");
            c.sendRaw("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nBDAT 1 LAST\r\n!");
            assertEquals(List.of("250 OK", "250 OK", "250 OK"), Esmtp.replies(c, 3));
            assertEquals("2001:db8:0:0:0:0:0:1", seen.poll(5, TimeUnit.SECONDS).address());
        }
    }

    @Test
    void badAttributesAre501() throws Exception {
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings()
                .xclientTrustedNetworks(List.of("127.0.0.1")));
             RawClient c = Esmtp.ehloed(s)) {
            assertEquals("501 Syntax: XCLIENT attribute=value ...", c.command("XCLIENT"));
            assertEquals("501 Bad XCLIENT attribute name: FOO", c.command("XCLIENT FOO=1"));
            assertEquals("501 Bad ADDR syntax: mail.example.org", c.command("XCLIENT ADDR=mail.example.org"));
            assertEquals("501 Bad PORT syntax: 70000", c.command("XCLIENT PORT=70000"));
            assertEquals("501 Bad PROTO syntax: LMTP", c.command("XCLIENT PROTO=LMTP"));
            assertEquals("250 OK", c.command("NOOP"));
        }
    }

    @Test
    void networks() {
        assertTrue(Cidr.parse("10.0.0.0/8").contains(addr("10.1.2.3")));
        assertFalse(Cidr.parse("10.0.0.0/8").contains(addr("11.1.2.3")));
        assertTrue(Cidr.parse("192.168.1.0/25").contains(addr("192.168.1.127")));
        assertFalse(Cidr.parse("192.168.1.0/25").contains(addr("192.168.1.128")));
        assertTrue(Cidr.parse("127.0.0.1").contains(addr("::ffff:127.0.0.1")));
        assertTrue(Cidr.parse("2001:db8::/32").contains(addr("2001:db8:1::5")));
        assertFalse(Cidr.parse("2001:db8::/32").contains(addr("10.0.0.1")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.org"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> TestServers.settings()
                .xclientTrustedNetworks(List.of("nowhere")));
    }

    private static java.net.InetAddress addr(String s) {
        try {
            return java.net.InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
