package io.smtpd.impl.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The Configuration Admin form of a server (factory PID {@code io.smtpd.server}): one attribute per command-line
 * option of {@code CLI.md}, plus the limits. Property names are the method names with {@code _} read as {@code .}.
 */
@ObjectClassDefinition(id = ServerConfig.PID, name = "smtpd server",
        description = "An SMTP (or LMTP) listener. Each factory configuration is one server.")
public @interface ServerConfig {
    String PID = "io.smtpd.server";

    @AttributeDefinition(name = "Listen address", description = "HOST:PORT to bind; IPv6 as [::1]:8025 (CLI -l)")
    String listen() default "localhost:8025";

    @AttributeDefinition(name = "Handler", description = "Built-in handler spec (sink, debugging, mailbox:DIR, "
            + "proxy:HOST:PORT) or the smtp.handler.name of a Handler service (CLI -c)")
    String handler() default "debugging";

    @AttributeDefinition(name = "Handler filter", required = false, description = "An LDAP filter selecting the "
            + "Handler service; overrides the handler name when set")
    String handler_target() default "";

    @AttributeDefinition(name = "Size limit", description = "DATA size limit in octets, advertised as SIZE; "
            + "0 = unlimited (CLI -s)", type = AttributeType.LONG, min = "0")
    long size() default 33_554_432L;

    @AttributeDefinition(name = "SMTPUTF8", description = "Enable SMTPUTF8, RFC 6531 (CLI -u)")
    boolean smtputf8() default false;

    @AttributeDefinition(name = "Host name", required = false, description = "Name in the 220 greeting and the "
            + "HELO/EHLO replies; empty = the system's FQDN (CLI --hostname)")
    String hostname() default "";

    @AttributeDefinition(name = "Ident", required = false, description = "Software identity in the 220 greeting "
            + "(CLI --ident)")
    String ident() default "";

    @AttributeDefinition(name = "Timeout", description = "Seconds without a complete line before 421 and close; "
            + "decimals allowed (CLI --timeout)", type = AttributeType.DOUBLE, min = "0.001")
    double timeout() default 300;

    @AttributeDefinition(name = "Decode data", description = "Handlers receive the content decoded as text "
            + "(CLI --decode-data)")
    boolean decode_data() default false;

    @AttributeDefinition(name = "Max connections", description = "Sessions at once, 0 = unlimited "
            + "(CLI --max-connections)", min = "0")
    int max_connections() default 0;

    @AttributeDefinition(name = "LMTP", description = "Speak LMTP, RFC 2033 (CLI --lmtp)")
    boolean lmtp() default false;

    @AttributeDefinition(name = "PROXY protocol timeout", description = "Seconds to wait for a PROXY v1/v2 "
            + "header; 0 = PROXY protocol off (CLI --proxy-protocol)", type = AttributeType.DOUBLE, min = "0")
    double proxy_protocol() default 0;

    @AttributeDefinition(name = "STARTTLS certificate", required = false, description = "PEM certificate chain "
            + "for STARTTLS (CLI --tlscert)")
    String tlscert() default "";

    @AttributeDefinition(name = "STARTTLS key", required = false, description = "PEM private key for STARTTLS "
            + "(CLI --tlskey)")
    String tlskey() default "";

    @AttributeDefinition(name = "STARTTLS key store", required = false, description = "A PKCS12 or JKS key store "
            + "with the private key and chain for STARTTLS, instead of tlscert/tlskey")
    String tls_keystore() default "";

    @AttributeDefinition(name = "STARTTLS key store type", description = "PKCS12 or JKS")
    String tls_keystore_type() default "PKCS12";

    @AttributeDefinition(name = "STARTTLS key store password", type = AttributeType.PASSWORD, required = false,
            description = "Password of the key store and its key")
    String tls_keystore_password() default "";

    @AttributeDefinition(name = "SMTPS key store", required = false, description = "A PKCS12 or JKS key store "
            + "with the private key and chain for implicit TLS, instead of smtpscert/smtpskey")
    String smtps_keystore() default "";

    @AttributeDefinition(name = "SMTPS key store type", description = "PKCS12 or JKS")
    String smtps_keystore_type() default "PKCS12";

    @AttributeDefinition(name = "SMTPS key store password", type = AttributeType.PASSWORD, required = false,
            description = "Password of the key store and its key")
    String smtps_keystore_password() default "";

    @AttributeDefinition(name = "Require STARTTLS", description = "With TLS configured, require STARTTLS before "
            + "other commands (CLI --no-requiretls sets false)")
    boolean requiretls() default true;

    @AttributeDefinition(name = "SMTPS certificate", required = false, description = "PEM certificate chain for "
            + "implicit TLS (CLI --smtpscert)")
    String smtpscert() default "";

    @AttributeDefinition(name = "SMTPS key", required = false, description = "PEM private key for implicit TLS "
            + "(CLI --smtpskey)")
    String smtpskey() default "";

    @AttributeDefinition(name = "Auth file", required = false, description = "UTF-8 file of user:password lines "
            + "enabling AUTH PLAIN and LOGIN (CLI --auth-file)")
    String auth_file() default "";

    @AttributeDefinition(name = "Auth required", description = "MAIL, RCPT, DATA, VRFY and HELP need AUTH first "
            + "(CLI --auth-required)")
    boolean auth_required() default false;

    @AttributeDefinition(name = "Auth requires TLS", description = "Refuse AUTH over plaintext "
            + "(CLI --no-auth-require-tls sets false)")
    boolean auth_require_tls() default true;

    @AttributeDefinition(name = "Excluded AUTH mechanisms", required = false, description = "SASL mechanisms not "
            + "offered, built-in or custom, for example PLAIN (aiosmtpd's auth_exclude_mechanism)")
    String[] auth_exclude() default {};

    @AttributeDefinition(name = "CRAM-MD5", description = "Offer the built-in CRAM-MD5 mechanism; it needs an "
            + "authenticator that can look passwords up, as the auth file's")
    boolean auth_cram_md5() default false;

    @AttributeDefinition(name = "Command line limit", description = "Octets per command line, CRLF not counted",
            min = "64")
    int command_line_limit() default 512;

    @AttributeDefinition(name = "DATA line limit", description = "Octets per DATA line, CRLF included", min = "80")
    int data_line_limit() default 1000;

    @AttributeDefinition(name = "Max recipients", description = "Recipients per transaction", min = "1")
    int max_recipients() default 1000;

    @AttributeDefinition(name = "Max unrecognized commands", description = "Unknown commands per session before "
            + "502 and close", min = "1")
    int max_unrecognized_commands() default 5;

    @AttributeDefinition(name = "Max errors", description = "Syntax errors per session before 421 and close",
            min = "1")
    int max_errors() default 20;

    @AttributeDefinition(name = "Max AUTH failures", description = "Failed AUTH attempts per session before 421 "
            + "and close", min = "1")
    int max_auth_failures() default 3;

    @AttributeDefinition(name = "Enhanced status codes", description = "Advertise ENHANCEDSTATUSCODES and prefix "
            + "RFC 3463 codes to replies")
    boolean enhanced_status_codes() default true;

    @AttributeDefinition(name = "I/O threads", description = "MINA processor threads; 0 = number of cores",
            min = "0")
    int io_threads() default 0;

    @AttributeDefinition(name = "Bare CR/LF in DATA", description = "normalize (store as CRLF), allow (store as "
            + "sent) or reject (550); only CRLF.CRLF ever ends a message", options = {
                @Option(label = "normalize", value = "normalize"), @Option(label = "allow", value = "allow"),
                @Option(label = "reject", value = "reject")})
    String bare_line_ends() default "normalize";

    @AttributeDefinition(name = "Handler timeout", description = "Seconds a handler hook may take before 451",
            type = AttributeType.DOUBLE, min = "0.001")
    double handler_timeout() default 60;

    @AttributeDefinition(name = "Max connections per client", description = "Sessions at once from one client "
            + "address, 0 = unlimited (421 beyond)", min = "0")
    int max_connections_per_client() default 0;

    @AttributeDefinition(name = "Connection rate per client", description = "New connections per minute from one "
            + "client address, 0 = unlimited (421 beyond)", min = "0")
    int connection_rate_per_client() default 0;

    @AttributeDefinition(name = "CHUNKING", description = "Offer CHUNKING and BINARYMIME (RFC 3030): BDAT")
    boolean chunking() default true;

    @AttributeDefinition(name = "DSN", description = "Offer DSN (RFC 3461): RET/ENVID on MAIL, NOTIFY/ORCPT on "
            + "RCPT, exposed on the envelope (off: aiosmtpd's 555 for them)")
    boolean dsn() default true;

    @AttributeDefinition(name = "REQUIRETLS", description = "Offer REQUIRETLS (RFC 8689) inside TLS sessions")
    boolean requiretls_extension() default true;

    @AttributeDefinition(name = "XCLIENT trusted networks", description = "Client networks (CIDR) allowed to use "
            + "XCLIENT (Postfix); empty = nobody")
    String[] xclient_trusted_networks() default {};

    @AttributeDefinition(name = "Debug", description = "Logging verbosity, 0 = normal (CLI -d, repeatable)",
            min = "0")
    int debug() default 0;
}
