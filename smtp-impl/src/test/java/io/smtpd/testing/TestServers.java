package io.smtpd.testing;

import io.smtpd.api.Handler;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SmtpServer;

/** Servers for tests: loopback, a free port, a fixed host name. */
public final class TestServers {
    public static final String HOSTNAME = "smtp.example.test";

    private TestServers() {
    }

    /**
     * Settings on 127.0.0.1, a free port, host name {@link #HOSTNAME}, and without ENHANCEDSTATUSCODES, so that
     * replies are aiosmtpd's texts to the letter (the tests that want the codes switch them on).
     */
    public static ServerSettings.Builder settings() {
        return ServerSettings.builder().host("127.0.0.1").port(0).hostname(HOSTNAME).enhancedStatusCodes(false);
    }

    public static SmtpServer start(Handler handler) {
        return start(handler, settings());
    }

    public static SmtpServer start(Handler handler, ServerSettings.Builder settings) {
        return SmtpServer.builder().settings(settings.build()).handler(handler).build().start();
    }
}
