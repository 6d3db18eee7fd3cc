package io.smtpd.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.smtpd.api.Handler;
import io.smtpd.server.ServerSettings;
import io.smtpd.server.SessionInfo;
import io.smtpd.server.SmtpServer;

/** What the commands print, against a real server and a live session. */
class ReportsTest {
    @Test
    void serversSessionsStatsHealthAndKill() throws Exception {
        try (SmtpServer server = SmtpServer.builder().name("shell-test").jmx(false).handler(new Handler() { })
                .settings(ServerSettings.builder().host("127.0.0.1").port(0).hostname("shell.test").build())
                .build().start();
             Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
            socket.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            assertTrue(in.readLine().startsWith("220"));
            out.write("HELO client.test\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(in.readLine().startsWith("250"));
            List<SmtpServer> servers = List.of(server);
            int port = server.localAddress().getPort();

            String listing = Reports.servers(servers);
            assertTrue(listing.startsWith("Name"), listing);
            assertTrue(listing.contains("shell-test | 127.0.0.1:" + port + " | present | UP    | 1"), listing);

            SessionInfo session = server.sessions().get(0);
            String sessions = Reports.sessions(servers);
            assertTrue(sessions.lines().anyMatch(line -> line.startsWith(session.id() + " ")
                    && line.contains("| shell-test | 127.0.0.1:" + socket.getLocalPort() + " | command")), sessions);

            String stats = Reports.stats(servers);
            assertTrue(stats.contains("sessions open            1"), stats);
            assertTrue(stats.contains("commands                 1"), stats);

            String health = Reports.health(servers, 14);
            assertTrue(health.startsWith("shell-test: UP\n  listener bound to 127.0.0.1:" + port), health);

            assertEquals("No open session nope", Reports.kill(servers, "nope"));
            assertEquals("Session " + session.id() + " on shell-test closed with 421",
                    Reports.kill(servers, session.id()));
            assertTrue(in.readLine().startsWith("421 4.3.2"));
            assertEquals(null, in.readLine());
        }
    }
}
