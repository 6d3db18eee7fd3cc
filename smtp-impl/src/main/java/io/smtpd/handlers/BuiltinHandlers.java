package io.smtpd.handlers;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

import io.smtpd.api.Handler;

/**
 * The command line's {@code -c SPEC}: {@code sink}, {@code debugging}, {@code mailbox:DIR} or
 * {@code proxy:HOST:PORT}, where HOST may be an IPv6 literal in brackets ({@code proxy:[::1]:2525}).
 */
public final class BuiltinHandlers {
    public static final String SINK = "sink";
    public static final String DEBUGGING = "debugging";
    public static final String MAILBOX = "mailbox";
    public static final String PROXY = "proxy";
    /** The names of the built-in handlers, as a spec starts. */
    public static final List<String> NAMES = List.of(SINK, DEBUGGING, MAILBOX, PROXY);

    private static final String FORMS = "expected sink, debugging, mailbox:DIR or proxy:HOST:PORT";

    private BuiltinHandlers() {
    }

    /**
     * Whether {@code spec} names a built-in handler: its part before the first ':' is one of {@link #NAMES}. Whether
     * the rest is valid is for {@link #fromSpec} to say.
     */
    public static boolean isBuiltin(String spec) {
        return spec != null && NAMES.contains(nameOf(spec));
    }

    /**
     * The handler {@code spec} describes. {@code mailbox:DIR} creates the Maildir.
     *
     * @throws IllegalArgumentException when the spec names no built-in handler or its argument is wrong
     * @throws java.io.UncheckedIOException when the Maildir cannot be created
     */
    public static Handler fromSpec(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("No handler given; " + FORMS);
        }
        String name = nameOf(spec);
        String argument = name.length() < spec.length() ? spec.substring(name.length() + 1) : null;
        switch (name) {
            case SINK:
                noArgument(spec, argument);
                return new Sink();
            case DEBUGGING:
                noArgument(spec, argument);
                return new Debugging();
            case MAILBOX:
                return new Mailbox(directory(spec, argument));
            case PROXY:
                return proxy(spec, argument);
            default:
                throw invalid(spec, "unknown handler; " + FORMS);
        }
    }

    private static String nameOf(String spec) {
        int colon = spec.indexOf(':');
        return colon < 0 ? spec : spec.substring(0, colon);
    }

    private static void noArgument(String spec, String argument) {
        if (argument != null) {
            throw invalid(spec, nameOf(spec) + " takes no argument");
        }
    }

    private static Path directory(String spec, String argument) {
        if (argument == null || argument.isBlank()) {
            throw invalid(spec, "the Maildir directory is missing; expected mailbox:DIR");
        }
        try {
            return Path.of(argument);
        } catch (InvalidPathException e) {
            throw invalid(spec, "not a directory path: " + e.getMessage());
        }
    }

    private static Proxy proxy(String spec, String argument) {
        if (argument == null || argument.isEmpty()) {
            throw invalid(spec, "the upstream address is missing; expected proxy:HOST:PORT");
        }
        String host;
        String port;
        if (argument.startsWith("[")) {
            int close = argument.indexOf(']');
            if (close < 0 || close + 1 >= argument.length() || argument.charAt(close + 1) != ':') {
                throw invalid(spec, "expected proxy:[IPV6]:PORT");
            }
            host = argument.substring(1, close);
            port = argument.substring(close + 2);
        } else {
            int colon = argument.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(spec, "the port is missing; expected proxy:HOST:PORT");
            }
            host = argument.substring(0, colon);
            port = argument.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw invalid(spec, "an IPv6 address goes in brackets, as in proxy:[::1]:PORT");
            }
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ')) {
            throw invalid(spec, "the upstream host is missing or has spaces");
        }
        return new Proxy(host, port(spec, port));
    }

    private static int port(String spec, String text) {
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw invalid(spec, "the port must be a number from 1 to 65535, not '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    private static IllegalArgumentException invalid(String spec, String reason) {
        return new IllegalArgumentException("Invalid handler '" + spec + "': " + reason);
    }
}
