package io.smtpd.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything that configures one server, immutable. Defaults follow aiosmtpd 1.4 and {@code CLI.md}; every limit
 * has a safe default. Build with {@link #builder()}; in OSGi the same values come from Configuration Admin.
 */
public final class ServerSettings {
    /** aiosmtpd's DATA_SIZE_DEFAULT: 32 MiB. */
    public static final long DEFAULT_DATA_SIZE_LIMIT = 33_554_432L;

    private final String host;
    private final int port;
    private final String hostname;
    private final String ident;
    private final long dataSizeLimit;
    private final boolean smtpUtf8;
    private final boolean decodeData;
    private final Duration timeout;
    private final int maxConnections;
    private final boolean lmtp;
    private final Duration proxyProtocolTimeout;
    private final TlsSettings starttls;
    private final boolean requireStartTls;
    private final TlsSettings implicitTls;
    private final Path authFile;
    private final boolean authRequired;
    private final boolean authRequireTls;
    private final Set<String> authExclude;
    private final boolean authCramMd5;
    private final int commandLineLimit;
    private final int dataLineLimit;
    private final int maxRecipients;
    private final int maxUnrecognizedCommands;
    private final int maxErrors;
    private final int maxAuthFailures;
    private final boolean enhancedStatusCodes;
    private final int ioThreads;
    private final int writeBufferLimit;
    private final BareLineEndPolicy bareLineEnds;
    private final Duration handlerTimeout;
    private final int maxConnectionsPerClient;
    private final int connectionRatePerClient;
    private final boolean chunking;
    private final boolean dsn;
    private final boolean requireTlsExtension;
    private final List<String> xclientTrustedNetworks;

    private ServerSettings(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.hostname = b.hostname;
        this.ident = b.ident;
        this.dataSizeLimit = b.dataSizeLimit;
        this.smtpUtf8 = b.smtpUtf8;
        this.decodeData = b.decodeData;
        this.timeout = b.timeout;
        this.maxConnections = b.maxConnections;
        this.lmtp = b.lmtp;
        this.proxyProtocolTimeout = b.proxyProtocolTimeout;
        this.starttls = b.starttls;
        this.requireStartTls = b.requireStartTls;
        this.implicitTls = b.implicitTls;
        this.authFile = b.authFile;
        this.authRequired = b.authRequired;
        this.authRequireTls = b.authRequireTls;
        this.authExclude = b.authExclude;
        this.authCramMd5 = b.authCramMd5;
        this.commandLineLimit = b.commandLineLimit;
        this.dataLineLimit = b.dataLineLimit;
        this.maxRecipients = b.maxRecipients;
        this.maxUnrecognizedCommands = b.maxUnrecognizedCommands;
        this.maxErrors = b.maxErrors;
        this.maxAuthFailures = b.maxAuthFailures;
        this.enhancedStatusCodes = b.enhancedStatusCodes;
        this.ioThreads = b.ioThreads;
        this.writeBufferLimit = b.writeBufferLimit;
        this.bareLineEnds = b.bareLineEnds;
        this.handlerTimeout = b.handlerTimeout;
        this.maxConnectionsPerClient = b.maxConnectionsPerClient;
        this.connectionRatePerClient = b.connectionRatePerClient;
        this.chunking = b.chunking;
        this.dsn = b.dsn;
        this.requireTlsExtension = b.requireTlsExtension;
        this.xclientTrustedNetworks = b.xclientTrustedNetworks;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to derive changed ones. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The address to bind: host name or literal. */
    public String host() {
        return host;
    }

    /** The port to bind; 0 picks a free one. */
    public int port() {
        return port;
    }

    public InetSocketAddress bindAddress() {
        return new InetSocketAddress(host, port);
    }

    /** The name in the greeting and the HELO/EHLO replies; {@code null} means the system's FQDN. */
    public String hostname() {
        return hostname;
    }

    /** The software identity in the greeting; {@code null} means {@code smtpd <version>}. */
    public String ident() {
        return ident;
    }

    /** The DATA size limit in octets, advertised as SIZE; 0 means unlimited. */
    public long dataSizeLimit() {
        return dataSizeLimit;
    }

    public boolean smtpUtf8() {
        return smtpUtf8;
    }

    public boolean decodeData() {
        return decodeData;
    }

    /** Time without a complete line before {@code 421} and close. */
    public Duration timeout() {
        return timeout;
    }

    /** Sessions at once; 0 means unlimited. */
    public int maxConnections() {
        return maxConnections;
    }

    public boolean lmtp() {
        return lmtp;
    }

    /** How long to wait for a PROXY protocol header; {@code null} when the protocol is off. */
    public Duration proxyProtocolTimeout() {
        return proxyProtocolTimeout;
    }

    /** Certificate and key for STARTTLS, or {@code null}. */
    public TlsSettings starttls() {
        return starttls;
    }

    /** Whether STARTTLS must come before anything but EHLO, LHLO, NOOP, STARTTLS and QUIT. */
    public boolean requireStartTls() {
        return requireStartTls && starttls != null;
    }

    /** Certificate and key for implicit TLS (SMTPS), or {@code null}. */
    public TlsSettings implicitTls() {
        return implicitTls;
    }

    /** The {@code user:password} file for AUTH PLAIN and LOGIN, or {@code null}. */
    public Path authFile() {
        return authFile;
    }

    public boolean authRequired() {
        return authRequired;
    }

    public boolean authRequireTls() {
        return authRequireTls;
    }

    /** SASL mechanisms not offered (upper case), built-in or custom (aiosmtpd's auth_exclude_mechanism). */
    public Set<String> authExclude() {
        return authExclude;
    }

    /** Whether the built-in CRAM-MD5 mechanism is offered (it needs an authenticator that can look passwords up). */
    public boolean authCramMd5() {
        return authCramMd5;
    }

    /** The command line limit in octets, not counting CRLF (aiosmtpd: 512). */
    public int commandLineLimit() {
        return commandLineLimit;
    }

    /** The DATA line limit in octets, CRLF included (998 + CRLF). */
    public int dataLineLimit() {
        return dataLineLimit;
    }

    public int maxRecipients() {
        return maxRecipients;
    }

    /** Unrecognised commands in a session before {@code 502 ... goodbye} (aiosmtpd's BOGUS_LIMIT). */
    public int maxUnrecognizedCommands() {
        return maxUnrecognizedCommands;
    }

    /** Syntax errors ({@code 500 501 553 555}) in a session before {@code 421 Too many errors}. */
    public int maxErrors() {
        return maxErrors;
    }

    /** Failed AUTH attempts in a session before {@code 421}. */
    public int maxAuthFailures() {
        return maxAuthFailures;
    }

    /** Whether to advertise ENHANCEDSTATUSCODES and prefix RFC 3463 codes to replies. */
    public boolean enhancedStatusCodes() {
        return enhancedStatusCodes;
    }

    /** MINA I/O processor threads; 0 means the number of cores. */
    public int ioThreads() {
        return ioThreads;
    }

    /** Unsent reply bytes per session above which the server stops reading from it. */
    public int writeBufferLimit() {
        return writeBufferLimit;
    }

    /** What DATA does with a bare CR or LF in content; only CRLF.CRLF ever ends a message. */
    public BareLineEndPolicy bareLineEnds() {
        return bareLineEnds;
    }

    /** How long a hook may take before the client gets {@code 451}; its late result is then ignored. */
    public Duration handlerTimeout() {
        return handlerTimeout;
    }

    /** Sessions at once from one client address; 0 means unlimited. */
    public int maxConnectionsPerClient() {
        return maxConnectionsPerClient;
    }

    /** New connections per minute from one client address; 0 means unlimited. */
    public int connectionRatePerClient() {
        return connectionRatePerClient;
    }

    /** Whether to offer CHUNKING and BINARYMIME (RFC 3030): the BDAT command. */
    public boolean chunking() {
        return chunking;
    }

    /** Whether to offer DSN (RFC 3461): RET and ENVID on MAIL, NOTIFY and ORCPT on RCPT. */
    public boolean dsn() {
        return dsn;
    }

    /** Whether to offer REQUIRETLS (RFC 8689) inside TLS sessions. */
    public boolean requireTlsExtension() {
        return requireTlsExtension;
    }

    /**
     * The networks (CIDR, or single addresses) whose clients may use XCLIENT (Postfix); empty: nobody, and XCLIENT
     * is not advertised.
     */
    public List<String> xclientTrustedNetworks() {
        return xclientTrustedNetworks;
    }

    @Override
    public String toString() {
        return "ServerSettings[" + host + ":" + port + (lmtp ? ", lmtp" : "") + ", size=" + dataSizeLimit
                + ", timeout=" + timeout + "]";
    }

    /** Certificate chain and private key, as PEM files or in a key store; the password never appears in logs. */
    public record TlsSettings(Path certificate, Path privateKey, Path keyStore, String keyStoreType,
                              String keyStorePassword) {
        public TlsSettings {
            if (keyStore == null) {
                Objects.requireNonNull(certificate, "certificate");
                Objects.requireNonNull(privateKey, "privateKey");
            } else if (certificate != null || privateKey != null) {
                throw new IllegalArgumentException("either PEM files or a key store, not both");
            }
        }

        /** A certificate chain and its private key as PEM files. */
        public TlsSettings(Path certificate, Path privateKey) {
            this(certificate, privateKey, null, null, null);
        }

        /** A key store file (PKCS12 or JKS) holding one private key entry with its chain. */
        public static TlsSettings keyStore(Path file, String type, String password) {
            return new TlsSettings(null, null, Objects.requireNonNull(file, "file"),
                    type == null || type.isBlank() ? "PKCS12" : type, password == null ? "" : password);
        }

        /** The file the certificate comes from, for messages. */
        public Path source() {
            return keyStore != null ? keyStore : certificate;
        }

        @Override
        public String toString() {
            return keyStore != null ? "TlsSettings[keyStore=" + keyStore + "]"
                    : "TlsSettings[" + certificate + ", " + privateKey + "]";
        }
    }

    /** Builds {@link ServerSettings}. */
    public static final class Builder {
        private String host = "localhost";
        private int port = 8025;
        private String hostname;
        private String ident;
        private long dataSizeLimit = DEFAULT_DATA_SIZE_LIMIT;
        private boolean smtpUtf8;
        private boolean decodeData;
        private Duration timeout = Duration.ofSeconds(300);
        private int maxConnections;
        private boolean lmtp;
        private Duration proxyProtocolTimeout;
        private TlsSettings starttls;
        private boolean requireStartTls = true;
        private TlsSettings implicitTls;
        private Path authFile;
        private boolean authRequired;
        private boolean authRequireTls = true;
        private Set<String> authExclude = Set.of();
        private boolean authCramMd5;
        private int commandLineLimit = 512;
        private int dataLineLimit = 1000;
        private int maxRecipients = 1000;
        private int maxUnrecognizedCommands = 5;
        private int maxErrors = 20;
        private int maxAuthFailures = 3;
        private boolean enhancedStatusCodes = true;
        private int ioThreads;
        private int writeBufferLimit = 64 * 1024;
        private BareLineEndPolicy bareLineEnds = BareLineEndPolicy.NORMALIZE;
        private Duration handlerTimeout = Duration.ofSeconds(60);
        private int maxConnectionsPerClient;
        private int connectionRatePerClient;
        private boolean chunking = true;
        private boolean dsn = true;
        private boolean requireTlsExtension = true;
        private List<String> xclientTrustedNetworks = List.of();

        private Builder() {
        }

        private Builder(ServerSettings s) {
            host = s.host;
            port = s.port;
            hostname = s.hostname;
            ident = s.ident;
            dataSizeLimit = s.dataSizeLimit;
            smtpUtf8 = s.smtpUtf8;
            decodeData = s.decodeData;
            timeout = s.timeout;
            maxConnections = s.maxConnections;
            lmtp = s.lmtp;
            proxyProtocolTimeout = s.proxyProtocolTimeout;
            starttls = s.starttls;
            requireStartTls = s.requireStartTls;
            implicitTls = s.implicitTls;
            authFile = s.authFile;
            authRequired = s.authRequired;
            authRequireTls = s.authRequireTls;
            authExclude = s.authExclude;
            authCramMd5 = s.authCramMd5;
            commandLineLimit = s.commandLineLimit;
            dataLineLimit = s.dataLineLimit;
            maxRecipients = s.maxRecipients;
            maxUnrecognizedCommands = s.maxUnrecognizedCommands;
            maxErrors = s.maxErrors;
            maxAuthFailures = s.maxAuthFailures;
            enhancedStatusCodes = s.enhancedStatusCodes;
            ioThreads = s.ioThreads;
            writeBufferLimit = s.writeBufferLimit;
            bareLineEnds = s.bareLineEnds;
            handlerTimeout = s.handlerTimeout;
            maxConnectionsPerClient = s.maxConnectionsPerClient;
            connectionRatePerClient = s.connectionRatePerClient;
            chunking = s.chunking;
            dsn = s.dsn;
            requireTlsExtension = s.requireTlsExtension;
            xclientTrustedNetworks = s.xclientTrustedNetworks;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder hostname(String hostname) {
            this.hostname = blankToNull(hostname);
            return this;
        }

        public Builder ident(String ident) {
            this.ident = blankToNull(ident);
            return this;
        }

        public Builder dataSizeLimit(long bytes) {
            this.dataSizeLimit = atLeast(0, bytes, "dataSizeLimit");
            return this;
        }

        public Builder smtpUtf8(boolean on) {
            this.smtpUtf8 = on;
            return this;
        }

        public Builder decodeData(boolean on) {
            this.decodeData = on;
            return this;
        }

        public Builder timeout(Duration timeout) {
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder maxConnections(int max) {
            this.maxConnections = (int) atLeast(0, max, "maxConnections");
            return this;
        }

        public Builder lmtp(boolean on) {
            this.lmtp = on;
            return this;
        }

        public Builder proxyProtocolTimeout(Duration timeout) {
            if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
                throw new IllegalArgumentException("proxyProtocolTimeout must be positive: " + timeout);
            }
            this.proxyProtocolTimeout = timeout;
            return this;
        }

        public Builder starttls(TlsSettings tls) {
            this.starttls = tls;
            return this;
        }

        public Builder requireStartTls(boolean required) {
            this.requireStartTls = required;
            return this;
        }

        public Builder implicitTls(TlsSettings tls) {
            this.implicitTls = tls;
            return this;
        }

        public Builder authFile(Path file) {
            this.authFile = file;
            return this;
        }

        public Builder authRequired(boolean required) {
            this.authRequired = required;
            return this;
        }

        public Builder authRequireTls(boolean required) {
            this.authRequireTls = required;
            return this;
        }

        /** Mechanism names not to offer, compared ignoring case. */
        public Builder authExclude(Collection<String> mechanisms) {
            this.authExclude = mechanisms.stream().map(String::strip).filter(m -> !m.isEmpty())
                    .map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
            return this;
        }

        public Builder authCramMd5(boolean on) {
            this.authCramMd5 = on;
            return this;
        }

        public Builder commandLineLimit(int octets) {
            this.commandLineLimit = (int) atLeast(64, octets, "commandLineLimit");
            return this;
        }

        public Builder dataLineLimit(int octets) {
            this.dataLineLimit = (int) atLeast(80, octets, "dataLineLimit");
            return this;
        }

        public Builder maxRecipients(int max) {
            this.maxRecipients = (int) atLeast(1, max, "maxRecipients");
            return this;
        }

        public Builder maxUnrecognizedCommands(int max) {
            this.maxUnrecognizedCommands = (int) atLeast(1, max, "maxUnrecognizedCommands");
            return this;
        }

        public Builder maxErrors(int max) {
            this.maxErrors = (int) atLeast(1, max, "maxErrors");
            return this;
        }

        public Builder maxAuthFailures(int max) {
            this.maxAuthFailures = (int) atLeast(1, max, "maxAuthFailures");
            return this;
        }

        public Builder enhancedStatusCodes(boolean on) {
            this.enhancedStatusCodes = on;
            return this;
        }

        public Builder ioThreads(int threads) {
            this.ioThreads = (int) atLeast(0, threads, "ioThreads");
            return this;
        }

        public Builder writeBufferLimit(int bytes) {
            this.writeBufferLimit = (int) atLeast(1024, bytes, "writeBufferLimit");
            return this;
        }

        public Builder bareLineEnds(BareLineEndPolicy policy) {
            this.bareLineEnds = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder handlerTimeout(Duration timeout) {
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("handlerTimeout must be positive: " + timeout);
            }
            this.handlerTimeout = timeout;
            return this;
        }

        public Builder maxConnectionsPerClient(int max) {
            this.maxConnectionsPerClient = (int) atLeast(0, max, "maxConnectionsPerClient");
            return this;
        }

        public Builder connectionRatePerClient(int perMinute) {
            this.connectionRatePerClient = (int) atLeast(0, perMinute, "connectionRatePerClient");
            return this;
        }

        public Builder chunking(boolean on) {
            this.chunking = on;
            return this;
        }

        public Builder dsn(boolean on) {
            this.dsn = on;
            return this;
        }

        public Builder requireTlsExtension(boolean on) {
            this.requireTlsExtension = on;
            return this;
        }

        /** @throws IllegalArgumentException for an entry that is not an address or CIDR */
        public Builder xclientTrustedNetworks(List<String> networks) {
            List<String> copy = new java.util.ArrayList<>(networks.size());
            for (String network : networks) {
                String n = network == null ? "" : network.strip();
                if (!n.isEmpty()) {
                    io.smtpd.impl.protocol.Cidr.parse(n); // validates
                    copy.add(n);
                }
            }
            this.xclientTrustedNetworks = List.copyOf(copy);
            return this;
        }

        public ServerSettings build() {
            return new ServerSettings(this);
        }

        private static long atLeast(long min, long value, String name) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
            }
            return value;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }
}
