package io.smtpd.app;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code smtp-server.jar} ({@code CLI.md}), turned into the Configuration Admin properties of a
 * server (factory PID {@code io.smtpd.server}, property names as in {@code ServerConfig}). Plain Java, no OSGi.
 *
 * <p>Options take their value as the next argument or after {@code =} ({@code --size=1000}); short options also
 * attached ({@code -l127.0.0.1:25}, {@code -s=1000}) and clustered ({@code -ud}). A later occurrence of an option wins, except
 * {@code -d}, which counts. There are no positional arguments. A value that itself starts with {@code -} (other than a
 * negative number, which is then refused as such) must be attached with {@code =}: {@code --ident=-x-}.
 */
public final class CommandLine {
    /** The name the usage and error messages use. */
    public static final String PROGRAM = "smtp-server";

    /** Port used when {@code -l} names only a host, as aiosmtpd does. */
    static final int DEFAULT_PORT = 8025;

    private enum Kind { HELP, FLAG, COUNT, VALUE }

    @FunctionalInterface
    private interface Converter {
        Object convert(String option, String value) throws UsageException;
    }

    private record Option(String name, Character shortName, Kind kind, String metavar, String property,
                          Object flagValue, Converter converter, String help) {
        String display() {
            return shortName == null ? name : "-" + shortName + ", " + name;
        }
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("--help", 'h', Kind.HELP, null, null, null, null, "show this help and exit"),
            value("--listen", 'l', "HOST:PORT", "listen", CommandLine::listen,
                    "address to bind; IPv6 as [::1]:8025 (default localhost:8025)"),
            value("--handler", 'c', "SPEC", "handler", CommandLine::handler,
                    "sink, debugging, mailbox:DIR or proxy:HOST:PORT (default debugging)"),
            value("--size", 's', "BYTES", "size", CommandLine::size,
                    "DATA size limit in octets, 0 = unlimited (default 33554432)"),
            flag("--smtputf8", 'u', "smtputf8", Boolean.TRUE, "enable SMTPUTF8 (RFC 6531)"),
            new Option("--debug", 'd', Kind.COUNT, null, "debug", null, null, "more logging; repeatable"),
            value("--hostname", null, "NAME", "hostname", CommandLine::nonEmpty,
                    "host name in the greeting and HELO/EHLO replies (default: the system's FQDN)"),
            value("--ident", null, "TEXT", "ident", (option, text) -> text,
                    "software identity in the 220 greeting"),
            value("--tlscert", null, "PEM", "tlscert", CommandLine::path,
                    "certificate chain for STARTTLS (with --tlskey)"),
            value("--tlskey", null, "PEM", "tlskey", CommandLine::path,
                    "private key for STARTTLS (with --tlscert)"),
            flag("--no-requiretls", null, "requiretls", Boolean.FALSE,
                    "with TLS, do not require STARTTLS before other commands"),
            value("--smtpscert", null, "PEM", "smtpscert", CommandLine::path,
                    "certificate chain for implicit TLS (with --smtpskey)"),
            value("--smtpskey", null, "PEM", "smtpskey", CommandLine::path,
                    "private key for implicit TLS (with --smtpscert)"),
            value("--auth-file", null, "FILE", "auth.file", CommandLine::path,
                    "user:password lines; enables AUTH PLAIN and LOGIN"),
            flag("--auth-required", null, "auth.required", Boolean.TRUE,
                    "MAIL, RCPT, DATA, VRFY and HELP need AUTH first"),
            flag("--no-auth-require-tls", null, "auth.require.tls", Boolean.FALSE,
                    "allow AUTH over a plaintext channel"),
            flag("--lmtp", null, "lmtp", Boolean.TRUE, "speak LMTP (RFC 2033)"),
            value("--proxy-protocol", null, "SECONDS", "proxy.protocol", CommandLine::positiveSeconds,
                    "expect a PROXY v1/v2 header first, within SECONDS"),
            value("--timeout", null, "SECONDS", "timeout", CommandLine::positiveSeconds,
                    "idle seconds before 421 and close, decimals allowed (default 300)"),
            flag("--decode-data", null, "decode.data", Boolean.TRUE, "handlers receive the content decoded as text"),
            value("--max-connections", null, "N", "max.connections", CommandLine::connections,
                    "at most N sessions at once, 0 = unlimited (default unlimited)"));

    /** The options that must be given together, each pair once. */
    private static final List<List<String>> PAIRS = List.of(
            List.of("--tlscert", "--tlskey"), List.of("--smtpscert", "--smtpskey"));

    private static final Map<String, Option> BY_NAME = new HashMap<>();
    private static final Map<Character, Option> BY_SHORT = new HashMap<>();

    static {
        for (Option option : OPTIONS) {
            BY_NAME.put(option.name(), option);
            if (option.shortName() != null) {
                BY_SHORT.put(option.shortName(), option);
            }
        }
    }

    private final Map<String, Object> properties;
    private final boolean help;
    private final int debug;

    private CommandLine(Map<String, Object> properties, boolean help, int debug) {
        this.properties = Collections.unmodifiableMap(properties);
        this.help = help;
        this.debug = debug;
    }

    /**
     * Parses the arguments.
     *
     * @throws UsageException for an unknown option, a missing or malformed value, or options that must come
     *                        together but do not
     */
    public static CommandLine parse(String... args) throws UsageException {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> given = new ArrayList<>();
        int debug = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--")) {
                if (arg.equals("--")) {
                    if (i + 1 < args.length) {
                        throw new UsageException("unexpected argument '" + args[i + 1] + "'");
                    }
                    break;
                }
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                Option option = BY_NAME.get(name);
                if (option == null) {
                    throw new UsageException("unknown option " + name);
                }
                given.add(option.name());
                if (option.kind() == Kind.VALUE) {
                    String value;
                    if (eq >= 0) {
                        value = arg.substring(eq + 1);
                    } else if (i + 1 < args.length && !looksLikeOption(args[i + 1])) {
                        value = args[++i];
                    } else {
                        throw missingValue(option.name(), option);
                    }
                    properties.put(option.property(), option.converter().convert(option.name(), value));
                } else if (eq >= 0) {
                    throw new UsageException("option " + option.name() + " takes no value");
                } else if (option.kind() == Kind.HELP) {
                    return new CommandLine(new LinkedHashMap<>(), true, 0);
                } else if (option.kind() == Kind.COUNT) {
                    debug++;
                } else {
                    properties.put(option.property(), option.flagValue());
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                for (int j = 1; j < arg.length(); j++) {
                    char c = arg.charAt(j);
                    Option option = BY_SHORT.get(c);
                    if (option == null) {
                        throw new UsageException("unknown option -" + c);
                    }
                    given.add(option.name());
                    if (option.kind() == Kind.VALUE) {
                        String value;
                        if (j + 1 < arg.length()) {
                            value = arg.substring(arg.charAt(j + 1) == '=' ? j + 2 : j + 1);
                        } else if (i + 1 < args.length && !looksLikeOption(args[i + 1])) {
                            value = args[++i];
                        } else {
                            throw missingValue("-" + c, option);
                        }
                        properties.put(option.property(), option.converter().convert("-" + c, value));
                        break;
                    } else if (option.kind() == Kind.HELP) {
                        return new CommandLine(new LinkedHashMap<>(), true, 0);
                    } else if (option.kind() == Kind.COUNT) {
                        debug++;
                    } else {
                        properties.put(option.property(), option.flagValue());
                    }
                }
            } else {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
        }
        for (List<String> pair : PAIRS) {
            if (given.contains(pair.get(0)) != given.contains(pair.get(1))) {
                String missing = given.contains(pair.get(0)) ? pair.get(1) : pair.get(0);
                String present = given.contains(pair.get(0)) ? pair.get(0) : pair.get(1);
                throw new UsageException("option " + present + " needs " + missing + " as well");
            }
        }
        if (debug > 0) {
            properties.put("debug", debug);
        }
        return new CommandLine(properties, false, debug);
    }

    /**
     * The Configuration Admin properties of the options given (absent options are left to the configuration's
     * defaults): String, Long ({@code size}), Double ({@code timeout}, {@code proxy.protocol}), Integer
     * ({@code max.connections}, {@code debug}) or Boolean values.
     */
    public Map<String, Object> properties() {
        return properties;
    }

    /** Whether {@code -h} or {@code --help} was given: print {@link #usage()} and exit 0. */
    public boolean help() {
        return help;
    }

    /** How many times {@code -d} was given. */
    public int debug() {
        return debug;
    }

    /** The usage text, one line per option. */
    public static String usage() {
        StringBuilder out = new StringBuilder();
        out.append("Usage: java -jar smtp-server.jar [options]\n\n")
                .append("An SMTP server. Serves until SIGTERM or SIGINT, then closes gracefully and exits 0.\n\n")
                .append("Options:\n");
        List<String> left = new ArrayList<>();
        int width = 0;
        for (Option option : OPTIONS) {
            String text = "  " + option.display() + (option.metavar() == null ? "" : " " + option.metavar());
            left.add(text);
            width = Math.max(width, text.length());
        }
        for (int i = 0; i < OPTIONS.size(); i++) {
            Option option = OPTIONS.get(i);
            String text = left.get(i);
            out.append(text).append(" ".repeat(width - text.length() + 2)).append(option.help()).append('\n');
        }
        return out.toString();
    }

    /** A short hint printed after a usage error. */
    public static String usageHint() {
        return "Usage: java -jar smtp-server.jar [options]; --help lists the options.";
    }

    private static Option value(String name, Character shortName, String metavar, String property,
                                Converter converter, String help) {
        return new Option(name, shortName, Kind.VALUE, metavar, property, null, converter, help);
    }

    private static Option flag(String name, Character shortName, String property, Boolean value, String help) {
        return new Option(name, shortName, Kind.FLAG, null, property, value, null, help);
    }

    /** An argument that cannot be a value: an option. A negative number is a value (and rejected as such). */
    private static boolean looksLikeOption(String arg) {
        if (!arg.startsWith("-") || arg.length() == 1) {
            return false;
        }
        char c = arg.charAt(1);
        return !(Character.isDigit(c) || c == '.');
    }

    private static UsageException missingValue(String typed, Option option) {
        return new UsageException("option " + typed + " needs a value (" + option.metavar() + ")");
    }

    // ---- converters ------------------------------------------------------------------------------------------

    private static String listen(String option, String value) throws UsageException {
        return hostPort(option, value, 0, true);
    }

    private static String handler(String option, String spec) throws UsageException {
        if (spec.equals("sink") || spec.equals("debugging")) {
            return spec;
        }
        if (spec.startsWith("mailbox:")) {
            String dir = spec.substring("mailbox:".length());
            if (dir.isEmpty()) {
                throw new UsageException("option " + option + ": mailbox:DIR needs a directory");
            }
            return "mailbox:" + path(option, dir);
        }
        if (spec.startsWith("proxy:")) {
            return "proxy:" + hostPort(option, spec.substring("proxy:".length()), 1, false);
        }
        throw new UsageException("option " + option + ": unknown handler '" + spec
                + "' (expected sink, debugging, mailbox:DIR or proxy:HOST:PORT)");
    }

    private static Long size(String option, String value) throws UsageException {
        return nonNegative(option, value, "a number of bytes", Long.MAX_VALUE);
    }

    /** A whole number from 0 to {@code max}; the messages name what was expected. */
    private static long nonNegative(String option, String value, String what, long max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option " + option + ": not " + what + ": '" + value + "'");
        }
        if (n > max) {
            throw new UsageException("option " + option + ": not " + what + ": '" + value + "'");
        }
        if (n < 0) {
            throw new UsageException("option " + option + ": must not be negative: " + value);
        }
        return n;
    }

    private static Double positiveSeconds(String option, String value) throws UsageException {
        double seconds;
        try {
            seconds = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option " + option + ": not a number of seconds: '" + value + "'");
        }
        if (!Double.isFinite(seconds) || seconds <= 0) {
            throw new UsageException("option " + option + ": must be a number of seconds above 0: " + value);
        }
        return seconds;
    }

    private static Integer connections(String option, String value) throws UsageException {
        return (int) nonNegative(option, value, "a whole number", Integer.MAX_VALUE);
    }

    private static String nonEmpty(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException("option " + option + " needs a non-empty value");
        }
        return value;
    }

    /** A file or directory name, made absolute so the configuration does not depend on the working directory. */
    private static String path(String option, String value) throws UsageException {
        nonEmpty(option, value);
        try {
            return Path.of(value).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            throw new UsageException("option " + option + ": not a valid path: '" + value + "'");
        }
    }

    /**
     * {@code HOST:PORT}, {@code [IPv6]:PORT}, or (when {@code portOptional}) a host alone, which gets
     * {@link #DEFAULT_PORT}. Returns the canonical {@code host:port} or {@code [ipv6]:port}.
     */
    static String hostPort(String option, String text, int minPort, boolean portOptional) throws UsageException {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new UsageException("option " + option + ": missing ']' in '" + text + "'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (host.isEmpty() || host.indexOf(':') < 0) {
                throw new UsageException("option " + option + ": not an IPv6 address in brackets: '" + text + "'");
            }
            if (rest.isEmpty()) {
                port = null;
            } else if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else {
                throw new UsageException("option " + option + ": expected :PORT after ']' in '" + text + "'");
            }
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
                throw new UsageException("option " + option + ": an IPv6 address needs brackets, as in [::1]:8025: '"
                        + text + "'");
            }
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new UsageException("option " + option + ": missing host in '" + text + "' (expected HOST:PORT)");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '/' || c == '[' || c == ']') {
                throw new UsageException("option " + option + ": not a host name: '" + host + "'");
            }
        }
        int number;
        if (port == null) {
            if (!portOptional) {
                throw new UsageException("option " + option + ": missing port in '" + text + "' (expected HOST:PORT)");
            }
            number = DEFAULT_PORT;
        } else {
            if (port.isEmpty() || !port.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new UsageException("option " + option + ": not a port number: '" + port + "'");
            }
            number = port.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(port);
            if (number < minPort || number > 65535) {
                throw new UsageException("option " + option + ": port out of range (" + minPort + "-65535): " + port);
            }
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + number;
    }
}
