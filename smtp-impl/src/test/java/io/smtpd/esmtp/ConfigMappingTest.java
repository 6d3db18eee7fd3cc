package io.smtpd.esmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smtpd.impl.server.ConfigMapping;
import io.smtpd.impl.server.ServerConfig;
import io.smtpd.server.ServerSettings;

/** The extensions' Configuration Admin attributes and their defaults. */
class ConfigMappingTest {
    /** A configuration with the Metatype defaults, {@code overrides} by method name. */
    private static ServerConfig config(Map<String, Object> overrides) {
        return (ServerConfig) Proxy.newProxyInstance(ServerConfig.class.getClassLoader(),
                new Class<?>[] {ServerConfig.class}, (proxy, method, args) -> {
                    if (overrides.containsKey(method.getName())) {
                        return overrides.get(method.getName());
                    }
                    if (method.getName().equals("hostname")) {
                        return "mx.example.test";
                    }
                    return method.getDefaultValue();
                });
    }

    @Test
    void defaults() {
        ServerSettings s = ConfigMapping.toSettings(config(Map.of()));
        assertTrue(s.chunking());
        assertTrue(s.dsn());
        assertTrue(s.requireTlsExtension());
        assertEquals(List.of(), s.xclientTrustedNetworks());
        assertTrue(s.enhancedStatusCodes());
        ServerSettings b = ServerSettings.builder().build();
        assertTrue(b.chunking());
        assertTrue(b.dsn());
        assertTrue(b.requireTlsExtension());
        assertEquals(List.of(), b.xclientTrustedNetworks());
    }

    @Test
    void switchedOnAndOff() {
        ServerSettings s = ConfigMapping.toSettings(config(Map.of("chunking", false, "dsn", false,
                "requiretls_extension", false, "enhanced_status_codes", true,
                "xclient_trusted_networks", new String[] {"10.0.0.0/8", " ", "2001:db8::/32"})));
        assertFalse(s.chunking());
        assertFalse(s.dsn());
        assertFalse(s.requireTlsExtension());
        assertTrue(s.enhancedStatusCodes());
        assertEquals(List.of("10.0.0.0/8", "2001:db8::/32"), s.xclientTrustedNetworks());
        ServerSettings copy = s.toBuilder().build();
        assertEquals(s.xclientTrustedNetworks(), copy.xclientTrustedNetworks());
        assertFalse(copy.dsn());
        assertThrows(IllegalArgumentException.class, () -> ConfigMapping.toSettings(config(Map.of(
                "xclient_trusted_networks", new String[] {"proxy.example"}))));
    }
}
