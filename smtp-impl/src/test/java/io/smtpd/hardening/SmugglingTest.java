package io.smtpd.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.smtpd.server.BareLineEndPolicy;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RecordingHandler;
import io.smtpd.testing.TestServers;

/**
 * SMTP smuggling (CVE-2023-51764/5/6, aiosmtpd CVE-2024-27305): a message whose body holds a fake end of data made of
 * bare CR or LF, followed by a second, forged transaction. Only CRLF.CRLF ends DATA, in every bare line end policy, so
 * the forged transaction is never delivered as a message of its own: with {@code normalize} (the default) and
 * {@code allow} it stays inside the first message, with {@code reject} the whole message is refused with 550.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmugglingTest {
    private static final String FORGED = "MAIL FROM:<ceo@victim.example>\r\nRCPT TO:<finance@victim.example>\r\n"
            + "DATA\r\nFrom: ceo@victim.example\r\nSubject: smuggled\r\n\r\nwire the money\r\n";

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "LF.LF, NORMALIZE", "CR.CR, NORMALIZE", "CRLF.LF, NORMALIZE", "LF.CRLF, NORMALIZE", "CR.CRLF, NORMALIZE",
        "CRLF.CR, NORMALIZE", "LF.CR, NORMALIZE", "CR.LF, NORMALIZE", "CRLF.NUL.CRLF, NORMALIZE",
        "LF.LF, ALLOW", "CR.CR, ALLOW", "CRLF.LF, ALLOW", "LF.CRLF, ALLOW",
        "LF.LF, REJECT", "CR.CR, REJECT", "CRLF.LF, REJECT", "LF.CRLF, REJECT",
    })
    void aFakeEndOfDataNeverEndsTheMessage(String fake, BareLineEndPolicy policy) throws Exception {
        String separator = fake.replace("CRLF", "\r\n").replace("CR", "\r").replace("LF", "\n")
                .replace("NUL", "\0");
        RecordingHandler handler = new RecordingHandler();
        try (SmtpServer server = TestServers.start(handler, TestServers.settings().bareLineEnds(policy));
             SmtpWire c = new SmtpWire(server.localAddress())) {
            c.hello();
            c.expect("MAIL FROM:<attacker@example.com>", 250);
            c.expect("RCPT TO:<someone@victim.example>", 250);
            c.expect("DATA", 354);
            // everything in one write, as a smuggling client sends it
            c.sendRaw("Subject: innocent\r\n\r\nhello" + separator + FORGED + ".\r\n");
            String reply = c.reply();
            boolean bare = !fake.equals("CRLF.NUL.CRLF");
            if (policy == BareLineEndPolicy.REJECT && bare) {
                assertEquals("550 5.6.0 Error: bare CR or LF in message content, use CRLF line ends", reply);
                assertEquals(0, handler.messages().size());
            } else {
                assertEquals("250 OK", reply);
                assertEquals(1, handler.messages().size(), "exactly one message");
                RecordingHandler.Message m = handler.messages().get(0);
                assertEquals("attacker@example.com", m.mailFrom(), "the forged envelope was used");
                String text = m.text();
                assertTrue(text.startsWith("Subject: innocent\r\n\r\nhello"), text);
                assertTrue(text.contains("MAIL FROM:<ceo@victim.example>"), "the forged part stays in the body");
                if (policy == BareLineEndPolicy.NORMALIZE) {
                    assertFalse(text.replace("\r\n", "").contains("\r") || text.replace("\r\n", "").contains("\n"),
                            "a bare CR or LF was delivered under normalize");
                }
            }
            // the forged commands were content: the session is between transactions, not inside a forged one
            String rcpt = c.command("RCPT TO:<x@example.com>");
            assertTrue(rcpt.startsWith("503 "), "a forged transaction is under way: " + rcpt);
            Attack.transactionWorks(c, handler);
        }
    }
}
