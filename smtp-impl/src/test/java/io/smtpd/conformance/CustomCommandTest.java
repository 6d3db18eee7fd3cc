package io.smtpd.conformance;

import static io.smtpd.conformance.Fixtures.S250_OK;
import static io.smtpd.conformance.Fixtures.greeted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.command.CommandInfo;
import io.smtpd.api.reply.Reply;
import io.smtpd.server.SmtpServer;
import io.smtpd.testing.RawClient;
import io.smtpd.testing.TestServers;

/** A custom command registered on the builder: aiosmtpd's {@code @syntax('PING [ignored]') smtp_PING}. */
class CustomCommandTest {

    private static SmtpServer withPing() {
        return SmtpServer.builder().settings(TestServers.settings().build()).handler(new Handler() { })
                .command(CommandInfo.of("PING", "PING [ignored]"),
                        (ctx, arg) -> HookResult.reply(Reply.of(259, "Pong")))
                .build().start();
    }

    @Test
    void customCommandAnswersWithItsReply() throws Exception {
        try (SmtpServer s = withPing(); RawClient c = greeted(s)) {
            assertEquals("259 Pong", c.command("PING"));
            assertEquals("259 Pong", c.command("ping whatever"));
        }
    }

    @Test
    void customCommandIsListedInHelpWithItsSyntax() throws Exception {
        try (SmtpServer s = withPing(); RawClient c = greeted(s)) {
            List<String> verbs = HelpCommandTest.supportedCommands(c.command("HELP"), 250);
            assertTrue(verbs.contains("PING"), verbs.toString());
            assertTrue(verbs.containsAll(HelpCommandTest.AIOSMTPD_VERBS), verbs.toString());
            assertEquals("250 Syntax: PING [ignored]", c.command("HELP PING"));
        }
    }

    @Test
    void customCommandSeesTheArgumentAndTheSession() throws Exception {
        try (SmtpServer s = SmtpServer.builder().settings(TestServers.settings().build()).handler(new Handler() { })
                .command(new CommandInfo("ECHO", "ECHO text", null, null, true, false),
                        (ctx, arg) -> HookResult.reply(Reply.of(250, ctx.session().hostName() + " said " + arg)))
                .build().start(); RawClient c = greeted(s)) {
            assertEquals("503 Error: send HELO first", c.command("ECHO hi"), "it requires HELO");
            c.command("HELO client.example");
            assertEquals("250 client.example said hi there", c.command("ECHO   hi there  "));
        }
    }

    @Test
    void customCommandMayAnswerLater() throws Exception {
        try (SmtpServer s = SmtpServer.builder().settings(TestServers.settings().build()).handler(new Handler() { })
                .command(CommandInfo.of("SLOW", "SLOW"), (ctx, arg) -> HookResult.laterReply(
                        CompletableFuture.supplyAsync(() -> Reply.of(250, "slow done"),
                                CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS))))
                .build().start(); RawClient c = greeted(s)) {
            c.sendRaw("SLOW\r\nNOOP\r\n");
            assertEquals("250 slow done", c.reply());
            assertEquals(S250_OK, c.reply());
        }
    }

    @Test
    void customCommandWithoutSyntaxIsNotListed() throws Exception {
        try (SmtpServer s = SmtpServer.builder().settings(TestServers.settings().build()).handler(new Handler() { })
                .command(CommandInfo.of("XSECRET", null), (ctx, arg) -> HookResult.reply(Reply.of(250, "psst")))
                .build().start(); RawClient c = greeted(s)) {
            assertEquals("250 psst", c.command("XSECRET"));
            assertTrue(!HelpCommandTest.supportedCommands(c.command("HELP"), 250).contains("XSECRET"));
            assertTrue(c.command("HELP XSECRET").startsWith("501 Supported commands: "));
        }
    }

    @Test
    void customCommandReplacesABuiltInVerb() throws Exception {
        try (SmtpServer s = SmtpServer.builder().settings(TestServers.settings().build()).handler(new Handler() { })
                .command(CommandInfo.of("EXPN", "EXPN <list>"),
                        (ctx, arg) -> HookResult.reply(Reply.of(250, "<" + arg + ">")))
                .build().start(); RawClient c = greeted(s)) {
            assertEquals("250 <staff>", c.command("EXPN staff"));
            assertTrue(HelpCommandTest.supportedCommands(c.command("HELP"), 250).contains("EXPN"));
        }
    }

    @Test
    void customCommandMayReadTheNextLineAfterAnIntermediateReply() throws Exception {
        try (SmtpServer s = SmtpServer.builder().settings(TestServers.settings().build()).handler(new Handler() { })
                .command(CommandInfo.of("ASK", "ASK"), (ctx, arg) -> {
                    ctx.pushLine(Reply.of(334, "What is your name?"),
                            (next, line) -> HookResult.reply(Reply.of(250, "Hello, " + line)));
                    return HookResult.proceed(); // as a LineHandler says: nothing to send, a line handler is pushed
                })
                .build().start(); RawClient c = greeted(s)) {
            c.sendRaw("ASK\r\nNOOP\r\nNOOP\r\n");
            assertEquals("334 What is your name?", c.reply());
            assertEquals("250 Hello, NOOP", c.reply(), "the next line goes to the command, not the dispatcher");
            assertEquals(S250_OK, c.reply());
        }
    }
}
