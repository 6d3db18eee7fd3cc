package io.smtpd.impl.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ServerNameTest {
    @Test
    void aNamedFactoryConfigurationGivesItsName() {
        assertEquals("cli", SmtpServerComponent.nameOf(Map.of("service.pid", "io.smtpd.server~cli")));
    }

    @Test
    void karafsConfigurationFileGivesItsAlias() {
        assertEquals("main", SmtpServerComponent.nameOf(Map.of("service.pid", "io.smtpd.server.2fc384bb-1",
                "felix.fileinstall.filename", "file:/opt/karaf/etc/io.smtpd.server-main.cfg")));
    }

    @Test
    void anExplicitNamePropertyWins() {
        assertEquals("edge", SmtpServerComponent.nameOf(Map.of("service.pid", "io.smtpd.server~x", "name", "edge")));
    }

    @Test
    void otherwiseWhatFollowsTheFactoryPid() {
        assertEquals("2fc384bb-1", SmtpServerComponent.nameOf(Map.of("service.pid", "io.smtpd.server.2fc384bb-1")));
    }
}
