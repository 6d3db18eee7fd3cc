package io.smtpd.esmtp;

import static io.smtpd.esmtp.Esmtp.HOST;
import static io.smtpd.esmtp.Esmtp.keywords;
import static io.smtpd.esmtp.Esmtp.replies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Envelope;
import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.Session;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;

/**
 * ENHANCEDSTATUSCODES on: every 2xx, 4xx and 5xx reply, also a handler's reply without a code and the replies of
 * the extensions, carries an RFC 3463 code of its class; the greeting and HELO/EHLO/LHLO replies never do.
 */
class EnhancedStatusEverywhereTest {
    private static final Pattern CODED = Pattern.compile("(\\d)\\d\\d[ -]([245])\\.\\d{1,3}\\.\\d{1,3} .*");

    /** The enhanced code of {@code reply}, checked on every line and against the reply's class. */
    private static String code(String reply) {
        String code = null;
        for (String line : reply.split("\r\n")) {
            Matcher m = CODED.matcher(line);
            assertTrue(m.matches(), "no enhanced status code: " + reply);
            assertEquals(m.group(1), m.group(2), "class of " + line);
            code = line.substring(4, line.indexOf(' ', 4));
        }
        return code;
    }

    private final Handler handler = new Handler() {
        @Override
        public HookResult handleNoop(Session session, Envelope envelope, String argument) {
            if (argument == null) {
                return HookResult.proceed();
            }
            return HookResult.reply(argument); // for example "451 later", without an enhanced code
        }

        @Override
        public HookResult handleMail(Session session, Envelope envelope, String address, List<String> options) {
            if (address.startsWith("ok")) {
                envelope.setMailFrom(address); // a hook that answers itself records what it accepted
                return HookResult.reply("250 Sender fine");
            }
            return HookResult.proceed();
        }

        @Override
        public HookResult handleRcpt(Session session, Envelope envelope, String address, List<String> options) {
            if (address.startsWith("full")) {
                return HookResult.reply("452 mailbox full");
            }
            if (address.startsWith("nobody")) {
                return HookResult.reply("550 no such user");
            }
            if (address.startsWith("custom")) {
                envelope.rcptTos().add(address);
                return HookResult.reply("250 Recipient fine");
            }
            return HookResult.proceed();
        }

        @Override
        public HookResult handleData(Session session, Envelope envelope) {
            return HookResult.reply("250 Queued as 1234");
        }
    };

    @Test
    void everyReplyClassCarriesACode() throws Exception {
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings().enhancedStatusCodes(true).dsn(true)
                .dataSizeLimit(100).xclientTrustedNetworks(List.of("10.0.0.0/8")));
             RawClient c = Esmtp.greeted(s)) {
            String helo = c.command("HELO client.example");
            assertEquals("250 " + HOST, helo, "HELO is exempt");
            String ehlo = c.command("EHLO client.example");
            assertTrue(ehlo.startsWith("250-" + HOST + "\r\n"), "EHLO is exempt: " + ehlo);
            assertTrue(keywords(ehlo).contains("ENHANCEDSTATUSCODES"));
            assertTrue(ehlo.endsWith("\r\n250 HELP"), ehlo);
            // handler replies without a code: the class default, or the command's
            assertEquals("2.0.0", code(c.command("NOOP 250 fine")));
            assertEquals("4.0.0", code(c.command("NOOP 451 later")));
            assertEquals("5.0.0", code(c.command("NOOP 554 go away")));
            assertEquals("5.7.1", code(c.command("NOOP 550 5.7.1 keeps its own code")));
            assertEquals("2.1.0", code(c.command("MAIL FROM:<ok@example.com>")));
            assertEquals("4.0.0", code(c.command("RCPT TO:<full@example.com>")));
            assertEquals("5.0.0", code(c.command("RCPT TO:<nobody@example.com>")));
            assertEquals("2.1.5", code(c.command("RCPT TO:<custom@example.com>")));
            assertEquals("2.1.5", code(c.command("RCPT TO:<bart@example.com>")));
            // the extensions' replies
            assertEquals("5.5.4", code(c.command("BDAT x")));
            c.sendRaw("BDAT 3\r\nabc");
            assertEquals("250 2.0.0 3 octets received", c.reply());
            assertEquals("5.5.1", code(c.command("DATA")));
            c.sendRaw("BDAT 3 LAST\r\ndef");
            assertEquals("250 2.6.0 Queued as 1234", c.reply());
            assertEquals("5.5.4", code(c.command("MAIL FROM:<a@example.com> RET=NONE")));
            assertEquals("2.1.0", code(c.command("MAIL FROM:<a@example.com> RET=FULL")));
            assertEquals("5.5.4", code(c.command("RCPT TO:<b@example.com> NOTIFY=NEVER,DELAY")));
            assertEquals("2.0.0", code(c.command("RSET")));
            assertEquals("5.7.10", code(c.command("MAIL FROM:<a@example.com> REQUIRETLS")));
            assertEquals("5.7.0", code(c.command("XCLIENT ADDR=192.0.2.1")));
            c.sendRaw("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nBDAT 101 LAST\r\n" + "x".repeat(101));
            List<String> r = replies(c, 3);
            assertEquals("5.3.4", code(r.get(2)), r.toString());
            assertEquals("5.5.1", code(c.sendRaw("BDAT 1\r\nZ").reply()), "chunk discarded, then 503");
            assertEquals("2.0.0", code(c.command("QUIT")));
        }
    }

    @Test
    void lhloIsExemptAndLmtpRepliesAreCoded() throws Exception {
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings().enhancedStatusCodes(true).lmtp(true));
             RawClient c = Esmtp.greeted(s)) {
            assertTrue(c.command("LHLO client.example").startsWith("250-" + HOST + "\r\n"));
            c.sendRaw("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\n"
                    + "BDAT 2 LAST\r\nhi");
            for (String reply : replies(c, 5)) {
                code(reply);
            }
        }
    }

    @Test
    void offByDefaultRepliesStayAiosmtpds() throws Exception {
        try (SmtpServer s = Esmtp.start(handler, TestServers.settings()); RawClient c = Esmtp.ehloed(s)) {
            assertEquals("451 later", c.command("NOOP 451 later"));
            assertEquals("250 Sender fine", c.command("MAIL FROM:<ok@example.com>"));
            assertEquals("250 OK", c.command("RCPT TO:<b@example.com>"));
            c.sendRaw("BDAT 3\r\nabc");
            assertEquals("250 3 octets received", c.reply());
        }
    }
}
