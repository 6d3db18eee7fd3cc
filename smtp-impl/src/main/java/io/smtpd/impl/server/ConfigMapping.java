package io.smtpd.impl.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.smtpd.server.BareLineEndPolicy;
import io.smtpd.server.ServerSettings;

/** Reads a {@link ServerConfig} into {@link ServerSettings}, once per (re)configuration. */
public final class ConfigMapping {
    private ConfigMapping() {
    }

    /** @throws IllegalArgumentException for a value out of range, with the attribute named */
    public static ServerSettings toSettings(ServerConfig config) {
        String[] hostPort = splitListen(config.listen());
        ServerSettings.Builder b = ServerSettings.builder()
                .host(hostPort[0])
                .port(Integer.parseInt(hostPort[1]))
                .hostname(config.hostname())
                .ident(config.ident())
                .dataSizeLimit(config.size())
                .smtpUtf8(config.smtputf8())
                .decodeData(config.decode_data())
                .timeout(seconds(config.timeout(), "timeout"))
                .maxConnections(config.max_connections())
                .lmtp(config.lmtp())
                .proxyProtocolTimeout(config.proxy_protocol() > 0 ? seconds(config.proxy_protocol(), "proxy.protocol")
                        : null)
                .requireStartTls(config.requiretls())
                .authRequired(config.auth_required())
                .authRequireTls(config.auth_require_tls())
                .authExclude(List.of(config.auth_exclude()))
                .authCramMd5(config.auth_cram_md5())
                .commandLineLimit(config.command_line_limit())
                .dataLineLimit(config.data_line_limit())
                .maxRecipients(config.max_recipients())
                .maxUnrecognizedCommands(config.max_unrecognized_commands())
                .maxErrors(config.max_errors())
                .maxAuthFailures(config.max_auth_failures())
                .enhancedStatusCodes(config.enhanced_status_codes())
                .ioThreads(config.io_threads())
                .bareLineEnds(bareLineEnds(config.bare_line_ends()))
                .handlerTimeout(seconds(config.handler_timeout(), "handler.timeout"))
                .maxConnectionsPerClient(config.max_connections_per_client())
                .connectionRatePerClient(config.connection_rate_per_client())
                .chunking(config.chunking())
                .dsn(config.dsn())
                .requireTlsExtension(config.requiretls_extension())
                .xclientTrustedNetworks(List.of(config.xclient_trusted_networks()));
        b.starttls(tls(config.tlscert(), config.tlskey(), "tlscert/tlskey", config.tls_keystore(),
                config.tls_keystore_type(), config.tls_keystore_password()));
        b.implicitTls(tls(config.smtpscert(), config.smtpskey(), "smtpscert/smtpskey", config.smtps_keystore(),
                config.smtps_keystore_type(), config.smtps_keystore_password()));
        if (!config.auth_file().isBlank()) {
            b.authFile(Path.of(config.auth_file()));
        }
        return b.build();
    }

    /**
     * Splits {@code HOST:PORT}; IPv6 literals in brackets ({@code [::1]:8025}).
     *
     * @return host (without brackets) and port
     */
    public static String[] splitListen(String listen) {
        String value = listen == null ? "" : listen.trim();
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("listen: expected [IPv6]:PORT, got '" + listen + "'");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon < 0 || value.indexOf(':') != colon) {
                throw new IllegalArgumentException("listen: expected HOST:PORT, got '" + listen + "'");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("listen: the host is missing in '" + listen + "'");
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listen: bad port in '" + listen + "'");
        }
        return new String[] {host, port};
    }

    private static BareLineEndPolicy bareLineEnds(String value) {
        try {
            return BareLineEndPolicy.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bare.line.ends must be normalize, allow or reject: " + value);
        }
    }

    private static Duration seconds(double seconds, String attribute) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(attribute + " must be a positive number of seconds: " + seconds);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private static ServerSettings.TlsSettings tls(String cert, String key, String attributes, String keyStore,
                                                  String keyStoreType, String keyStorePassword) {
        boolean hasCert = cert != null && !cert.isBlank();
        boolean hasKey = key != null && !key.isBlank();
        if (hasCert != hasKey) {
            throw new IllegalArgumentException(attributes + ": a certificate needs its key and the other way round");
        }
        boolean hasStore = keyStore != null && !keyStore.isBlank();
        if (hasStore && hasCert) {
            throw new IllegalArgumentException(attributes + ": PEM files or a key store, not both");
        }
        if (hasStore) {
            return ServerSettings.TlsSettings.keyStore(Path.of(keyStore), keyStoreType, keyStorePassword);
        }
        return hasCert ? new ServerSettings.TlsSettings(Path.of(cert), Path.of(key)) : null;
    }
}
