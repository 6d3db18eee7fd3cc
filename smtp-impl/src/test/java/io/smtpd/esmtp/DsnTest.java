package io.smtpd.esmtp;

import static io.smtpd.esmtp.Esmtp.ehloed;
import static io.smtpd.esmtp.Esmtp.keywords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smtpd.api.Dsn;
import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.impl.parse.DsnParser;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;

/** DSN (RFC 3461): RET and ENVID on MAIL, NOTIFY and ORCPT on RCPT, parsed, validated and on the envelope. */
class DsnTest {
    /** What the DATA hook saw. */
    record Seen(Dsn.Mail mail, List<Dsn.Recipient> recipients) {
    }

    private final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final Handler handler = new Handler() {
        @Override
        public HookResult handleData(Session session, Envelope envelope) {
            seen.add(new Seen(envelope.dsn(), List.copyOf(envelope.dsnRecipients())));
            return HookResult.proceed();
        }
    };

    private SmtpServer start() {
        return Esmtp.start(handler, TestServers.settings().dsn(true));
    }

    @Test
    void advertisedByDefaultAndSwitchable() throws Exception {
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings()); RawClient c = Esmtp.greeted(s)) {
            assertTrue(keywords(c.command("EHLO client.example")).contains("DSN"), "on by default");
        }
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings().dsn(false)); RawClient c = ehloed(s)) {
            assertFalse(keywords(c.command("EHLO client.example")).contains("DSN"), "off when switched off");
            assertEquals("555 MAIL FROM parameters not recognized or not implemented",
                    c.command("MAIL FROM:<anne@example.com> RET=FULL"));
            assertEquals("250 OK", c.command("MAIL FROM:<anne@example.com>"));
            assertEquals("555 RCPT TO parameters not recognized or not implemented",
                    c.command("RCPT TO:<bart@example.com> NOTIFY=NEVER"));
        }
    }

    @Test
    void parametersReachTheEnvelopeDecoded() throws Exception {
        try (SmtpServer s = start(); RawClient c = ehloed(s)) {
            assertEquals("250 OK", c.command("MAIL FROM:<anne@example.com> ret=hdrs ENVID=Qm+2Bx+3D1"));
            assertEquals("250 OK", c.command("RCPT TO:<bart@example.com> NOTIFY=SUCCESS,delay "
                    + "ORCPT=rfc822;Bart+2Bx@Example.com"));
            assertEquals("250 OK", c.command("RCPT TO:<carl@example.com> NOTIFY=NEVER"));
            assertEquals("250 OK", c.command("RCPT TO:<dora@example.com>"));
            assertEquals("250 OK", c.sendRaw("BDAT 2 LAST\r\nhi").reply());
            Seen got = seen.poll(5, TimeUnit.SECONDS);
            assertEquals(new Dsn.Mail(Dsn.Ret.HDRS, "Qm+x=1"), got.mail());
            assertEquals(List.of(
                    new Dsn.Recipient("bart@example.com", EnumSet.of(Dsn.Notify.SUCCESS, Dsn.Notify.DELAY), "rfc822",
                            "Bart+x@Example.com"),
                    new Dsn.Recipient("carl@example.com", EnumSet.of(Dsn.Notify.NEVER), null, null),
                    new Dsn.Recipient("dora@example.com", EnumSet.noneOf(Dsn.Notify.class), null, null)),
                    got.recipients());
            assertEquals("250 OK", c.command("MAIL FROM:<anne@example.com>"));
            assertEquals("250 OK", c.command("RCPT TO:<bart@example.com>"));
            assertEquals("250 OK", c.sendRaw("BDAT 2 LAST\r\nhi").reply());
            assertEquals(Dsn.Mail.NONE, seen.poll(5, TimeUnit.SECONDS).mail(), "a new transaction starts empty");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RET=ALL", "RET", "ENVID=a=b", "ENVID=a+2", "ENVID=a+2g", "ENVID=a+2a"})
    void badMailParametersAre501(String parameter) throws Exception {
        try (SmtpServer s = start(); RawClient c = ehloed(s)) {
            String reply = c.command("MAIL FROM:<anne@example.com> " + parameter);
            assertTrue(reply.startsWith("501 Bad " + parameter.replaceFirst("=.*", "") + " parameter syntax"),
                    reply);
            assertEquals("250 OK", c.command("MAIL FROM:<anne@example.com>"), "no transaction was started");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOTIFY=NEVER,SUCCESS", "NOTIFY=SOMETIMES", "NOTIFY=SUCCESS,SUCCESS", "NOTIFY=",
        "NOTIFY=SUCCESS,", "ORCPT=bart@example.com", "ORCPT=rfc822;", "ORCPT=;bart@example.com",
        "ORCPT=rfc 822;x", "ORCPT=rfc822;a+zz"})
    void badRcptParametersAre501(String parameter) throws Exception {
        try (SmtpServer s = start(); RawClient c = ehloed(s)) {
            assertEquals("250 OK", c.command("MAIL FROM:<anne@example.com>"));
            String reply = c.command("RCPT TO:<bart@example.com> " + parameter);
            assertTrue(reply.startsWith("501 "), reply);
        }
    }

    @Test
    void xtext() {
        assertEquals("a+b=c", DsnParser.xtext("a+2Bb+3Dc"));
        assertEquals("\u00e9", DsnParser.xtext("+E9"));
        assertNull(DsnParser.xtext("a b"));
        assertNull(DsnParser.xtext("a=b"));
        assertNull(DsnParser.xtext("+2b"));
        assertNull(DsnParser.xtext("+2"));
        assertNull(DsnParser.envid("x".repeat(101)));
        assertEquals(EnumSet.of(Dsn.Notify.FAILURE), DsnParser.notify("failure"));
    }
}
