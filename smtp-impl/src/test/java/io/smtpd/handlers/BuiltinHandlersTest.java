package io.smtpd.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltinHandlersTest {
    @TempDir
    Path dir;

    @Test
    void sinkAndDebugging() {
        assertInstanceOf(Sink.class, BuiltinHandlers.fromSpec("sink"));
        assertInstanceOf(Debugging.class, BuiltinHandlers.fromSpec("debugging"));
    }

    @Test
    void mailboxCreatesItsMaildir() {
        Path maildir = dir.resolve("mail");
        Mailbox mailbox = assertInstanceOf(Mailbox.class, BuiltinHandlers.fromSpec("mailbox:" + maildir));

        assertEquals(maildir.toAbsolutePath(), mailbox.directory());
        assertTrue(Files.isDirectory(maildir.resolve("new")));
    }

    @Test
    void mailboxKeepsColonsInTheDirectory() {
        Mailbox mailbox = assertInstanceOf(Mailbox.class, BuiltinHandlers.fromSpec("mailbox:" + dir + "/a:b"));

        assertEquals(dir.resolve("a:b").toAbsolutePath(), mailbox.directory());
    }

    @Test
    void proxyWithAHostName() {
        Proxy proxy = assertInstanceOf(Proxy.class, BuiltinHandlers.fromSpec("proxy:mail.example.com:2525"));

        assertEquals("mail.example.com", proxy.host());
        assertEquals(2525, proxy.port());
        assertEquals(Proxy.DEFAULT_TIMEOUT, proxy.timeout());
    }

    @Test
    void proxyWithAnIpv4Address() {
        Proxy proxy = assertInstanceOf(Proxy.class, BuiltinHandlers.fromSpec("proxy:127.0.0.1:25"));

        assertEquals("127.0.0.1", proxy.host());
        assertEquals(25, proxy.port());
    }

    @Test
    void proxyWithAnIpv6AddressInBrackets() {
        Proxy proxy = assertInstanceOf(Proxy.class, BuiltinHandlers.fromSpec("proxy:[::1]:2525"));

        assertEquals("::1", proxy.host());
        assertEquals(2525, proxy.port());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"unknown", "Sink", "sink:x", "debugging:stdout", "mailbox", "mailbox:", "mailbox:  ",
        "proxy", "proxy:", "proxy:host", "proxy:host:", "proxy::25", "proxy:host:0", "proxy:host:65536",
        "proxy:host:99999999999", "proxy:host:-1", "proxy:host:2x", "proxy:host: 25", "proxy:::1:25", "proxy:[::1]",
        "proxy:[::1]25", "proxy:[::1:25", "proxy:[]:25", "proxy:my host:25", "mail box:/tmp"})
    void refusesAnythingElseWithAClearMessage(String spec) {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> BuiltinHandlers.fromSpec(spec));

        assertTrue(error.getMessage().contains(spec == null ? "No handler" : "'" + spec + "'"), error.getMessage());
    }

    @Test
    void namesTheValidFormsForAnUnknownName() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> BuiltinHandlers.fromSpec("maildir:/x"));

        assertEquals("Invalid handler 'maildir:/x': unknown handler; expected sink, debugging, mailbox:DIR or "
                + "proxy:HOST:PORT", error.getMessage());
    }

    @Test
    void tellsBuiltinNamesFromOthers() {
        assertTrue(BuiltinHandlers.isBuiltin("sink"));
        assertTrue(BuiltinHandlers.isBuiltin("debugging"));
        assertTrue(BuiltinHandlers.isBuiltin("mailbox:/var/mail"));
        assertTrue(BuiltinHandlers.isBuiltin("proxy:[::1]:25"));
        assertTrue(BuiltinHandlers.isBuiltin("mailbox:"), "a built-in with a bad argument, for fromSpec to refuse");
        assertFalse(BuiltinHandlers.isBuiltin("myhandler"));
        assertFalse(BuiltinHandlers.isBuiltin(""));
        assertFalse(BuiltinHandlers.isBuiltin(null));
        assertFalse(BuiltinHandlers.isBuiltin("SINK"));
    }
}
