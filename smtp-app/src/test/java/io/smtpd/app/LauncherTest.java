package io.smtpd.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LauncherTest {

    @Test
    void reasonKeepsTheMessagesOfTheExceptionChain() {
        String failure = """
                java.io.IOException: Error while binding on /127.0.0.1:46703
                \tat org.apache.mina.transport.socket.nio.NioSocketAcceptor.open(NioSocketAcceptor.java:300)
                \tat java.base/java.lang.Thread.run(Thread.java:840)
                Caused by: java.net.BindException: Address already in use
                \tat java.base/sun.nio.ch.Net.bind0(Native Method)
                \t... 7 more
                """;
        assertEquals("Error while binding on /127.0.0.1:46703: Address already in use", Launcher.reason(failure));
    }

    @Test
    void reasonSkipsACauseTheWrapperRepeats() {
        String failure = """
                java.lang.IllegalStateException: java.nio.file.NoSuchFileException: /etc/cert.pem
                \tat x.Y.z(Y.java:1)
                Caused by: java.nio.file.NoSuchFileException: /etc/cert.pem
                \tat x.Y.z(Y.java:1)
                """;
        assertEquals("java.nio.file.NoSuchFileException: /etc/cert.pem", Launcher.reason(failure));
    }

    @Test
    void reasonKeepsTheClassNameWithoutAMessage() {
        assertEquals("java.lang.NullPointerException",
                Launcher.reason("java.lang.NullPointerException\n\tat a.B.c(B.java:1)\n"));
    }

    @Test
    void reasonWithoutText() {
        assertEquals("the server component failed to activate", Launcher.reason(null));
        assertEquals("the server component failed to activate", Launcher.reason("  \n"));
    }
}
