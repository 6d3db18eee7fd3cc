package io.smtpd.impl.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.net.ssl.SSLSession;

import io.smtpd.api.Handler;
import io.smtpd.api.HookResult;
import io.smtpd.api.TlsInfo;
import io.smtpd.api.command.CommandContext;
import io.smtpd.api.command.LineHandler;
import io.smtpd.api.reply.Replies;
import io.smtpd.api.reply.Reply;
import io.smtpd.api.reply.SmtpRejectException;
import io.smtpd.impl.data.ChunkReader;
import io.smtpd.impl.data.DotReader;
import io.smtpd.impl.data.LineReader;
import io.smtpd.impl.parse.CommandSplit;
import io.smtpd.impl.tls.SessionTlsInfo;
import io.smtpd.server.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP conversation: routes each input item to the pushed line handler, the DATA continuation or the command
 * table, after aiosmtpd's gates (line length, ASCII, STARTTLS, unknown-command budget). It never touches a socket:
 * replies go to the {@link Connection}. All calls hold the connection's input lock.
 */
public final class Conversation implements CommandContext {
    private static final Logger LOG = LoggerFactory.getLogger(Conversation.class);
    private static final Set<String> ALLOWED_BEFORE_STARTTLS = Set.of("NOOP", "EHLO", "LHLO", "STARTTLS", "QUIT");
    private static final Handler NO_HANDLER = new Handler() { };

    private final ServerContext server;
    private final Connection connection;
    private final IdleTimer timer;
    private final InputFramer framer;
    private SessionState session;
    private EnvelopeState envelope = new EnvelopeState();
    private LineHandler lineHandler;
    private Consumer<DotReader> dataContinuation;
    private Consumer<ChunkReader> chunkContinuation;
    /** The verb of the command being answered, for the enhanced status codes a reply lacks. */
    private String currentVerb;
    private boolean paused;
    private boolean closed;
    /** Whether the greeting went out (with the PROXY protocol, only once a header was accepted). */
    private boolean started;
    /** Sent instead of the greeting: see {@link #startRefused}. */
    private Reply greetingRefusal;
    private boolean securityRefused;
    /** From STARTTLS's 220 (or the accept, with implicit TLS) to the end of the TLS handshake. */
    private boolean tlsPending;
    private boolean implicitTls;
    private boolean argumentMalformed;
    private int unrecognized;
    private int errors;
    private int authFailures;
    private Reply shutdownReply;
    // ---- operations: counters, log context, the session's summary
    private final ServerMetrics metrics;
    private final long startNanos = System.nanoTime();
    private int commandCount;
    private int messagesAccepted;
    private int messagesRejected;
    /** From a message's end to the reply that ends its exchange: the replies written are its verdicts. */
    private boolean dataVerdict;
    private boolean killed;
    private int closingCode;
    private java.net.InetSocketAddress logAddress;
    private String logClient;

    public Conversation(ServerContext server, Connection connection) {
        this.server = server;
        this.connection = connection;
        ServerSettings settings = server.settings();
        this.timer = new IdleTimer(server.timer(), TimeUnit.NANOSECONDS.convert(settings.timeout()), connection,
                this::onTimeout);
        this.framer = new InputFramer(server.hardLineLimit(), timer);
        this.session = new SessionState(server.nextSessionId(), connection.remoteAddress(),
                connection.localAddress(), server.hostname(), settings.lmtp());
        this.metrics = server.metrics();
    }

    /** Sends the greeting and starts the idle timer; with implicit TLS the greeting waits for the handshake. */
    public void start() {
        started = true;
        timer.start();
        LOG.debug("{} connected from {}", session.id(), session.clientAddress());
        if (!tlsPending) {
            greet();
        }
    }

    /**
     * Starts with {@code refusal} where the greeting would go (after the handshake with implicit TLS), then closes:
     * a connection policy that could only judge the client once the PROXY header named it said no.
     */
    public void startRefused(Reply refusal) {
        greetingRefusal = refusal.closing();
        start();
    }

    private void greet() {
        if (greetingRefusal != null) {
            write(greetingRefusal);
            return;
        }
        connection.write(Reply.of(220, server.hostname() + " " + server.ident()));
        metrics.reply(220);
    }

    public InputFramer framer() {
        return framer;
    }

    /** Whether a hook is pending: input waits until it completes. */
    public boolean isPaused() {
        return paused;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Takes one item from {@link InputFramer#next}. */
    public void onInput(Object item) {
        if (closed) {
            return;
        }
        if (item instanceof DotReader) {
            Consumer<DotReader> continuation = dataContinuation;
            dataContinuation = null;
            dataVerdict = true;
            guarded(() -> continuation.accept((DotReader) item));
        } else if (item instanceof ChunkReader) {
            Consumer<ChunkReader> continuation = chunkContinuation;
            chunkContinuation = null;
            guarded(() -> continuation.accept((ChunkReader) item));
        } else {
            onLine((byte[]) item);
        }
    }

    private void onLine(byte[] line) {
        if (lineHandler != null) {
            LineHandler handler = lineHandler;
            lineHandler = null;
            if (line == LineReader.OVERLONG) {
                guarded(() -> settle(handler.onOverlongLine(this), this::answerLine));
                return;
            }
            String text = new String(line, StandardCharsets.UTF_8);
            guarded(() -> settle(handler.onLine(this, text), this::answerLine));
            return;
        }
        dispatch(line);
    }

    private void dispatch(byte[] line) {
        commandCount++;
        metrics.command();
        currentVerb = null;
        if (line == LineReader.OVERLONG) {
            reply(Replies.S500_COMMAND_TOO_LONG);
            return;
        }
        CommandSplit split = CommandSplit.of(line, server.settings().smtpUtf8());
        currentVerb = split.verb();
        if (split.refusal() != null) {
            reply(split.refusal());
            return;
        }
        String verb = split.verb();
        String argument = split.argument();
        argumentMalformed = split.argumentMalformed();
        if (line.length > server.commandLineLimit(verb, session.extendedSmtp())) {
            reply(Replies.S500_COMMAND_TOO_LONG);
            return;
        }
        if (securityRefused && !"QUIT".equals(verb)) {
            refuse(verb, argument, Replies.S554_LACK_OF_SECURITY);
            return;
        }
        if (server.settings().requireStartTls() && !session.isTls() && !ALLOWED_BEFORE_STARTTLS.contains(verb)) {
            refuse(verb, argument, Replies.S530_STARTTLS_FIRST);
            return;
        }
        CommandEntry entry = server.commands().get(verb);
        if (entry == null) {
            unrecognized(verb);
            return;
        }
        String arg = argument;
        LOG.trace("{} >> {}", session.id(), verb);
        guarded(() -> entry.command().execute(this, arg));
    }

    /** Refuses a command; a refused BDAT chunk is still read and discarded, never taken as commands. */
    private void refuse(String verb, String argument, Reply refusal) {
        long chunk = "BDAT".equals(verb) && server.commands().get(verb) != null ? ChunkReader.size(argument) : -1;
        if (chunk > 0) {
            expectChunk(new ChunkReader(chunk, null), discarded -> reply(refusal));
            return;
        }
        reply(refusal);
    }

    private void unrecognized(String verb) {
        unrecognized++;
        LOG.debug("{} unrecognised command {}", session.id(), LogSafe.text(verb));
        if (unrecognized >= server.settings().maxUnrecognizedCommands()) {
            write(Replies.S502_TOO_MANY_UNRECOGNIZED);
        } else {
            write(Replies.unrecognized(verb));
        }
    }

    // ---- what commands use ----------------------------------------------------------------------------------

    public ServerContext server() {
        return server;
    }

    public ServerSettings settings() {
        return server.settings();
    }

    @Override
    public SessionState session() {
        return session;
    }

    @Override
    public EnvelopeState envelope() {
        return envelope;
    }

    /** Whether the current argument had bytes that are not UTF-8 (only with SMTPUTF8 on). */
    public boolean argumentMalformed() {
        return argumentMalformed;
    }

    /** aiosmtpd's {@code _set_rset_state}: a fresh transaction. */
    @Override
    public void resetTransaction() {
        envelope = new EnvelopeState();
    }

    public void extendedSmtp(boolean on) {
        session.extendedSmtp(on);
    }

    /** The handler for hooks outside a transaction: the transaction's, the current one, or a default one. */
    public Handler hookHandler() {
        Handler handler = envelope.handler();
        if (handler == null) {
            handler = server.currentHandler();
        }
        return handler == null ? NO_HANDLER : handler;
    }

    /**
     * Fixes the handler of the transaction that MAIL starts: a handler replaced later serves the next one.
     *
     * @return false when no handler is available (the caller answers 451)
     */
    public boolean bindTransactionHandler() {
        Handler handler = server.currentHandler();
        envelope.handler(handler);
        return handler != null;
    }

    /** Whether the transaction's handler is still known (the DATA hook needs one). */
    public boolean hasTransactionHandler() {
        return envelope.handler() != null || server.currentHandler() != null;
    }

    /**
     * Calls a hook and passes its result to {@code then}, now or when it completes. An exception becomes its reply
     * (aiosmtpd's {@code handle_exception}), passed to {@code then} as a REPLY result.
     */
    public void hook(Function<Handler, HookResult> call, Consumer<HookResult> then) {
        Handler handler = hookHandler();
        long began = System.nanoTime();
        HookResult result;
        try {
            result = call.apply(handler);
        } catch (Throwable error) {
            result = fromException(error);
        }
        if (result != null && result.kind() == HookResult.Kind.LATER) {
            settle(result, done -> {
                metrics.handlerTime(System.nanoTime() - began);
                then.accept(done);
            });
            return;
        }
        metrics.handlerTime(System.nanoTime() - began);
        settle(result, then);
    }

    /** Sends {@code reply}, counting syntax errors against the session's budget. */
    public void reply(Reply reply) {
        if (closed) {
            return;
        }
        write(reply);
        dataVerdict = false;
        int code = reply.code();
        if (!closed && (code == 500 || code == 501 || code == 553 || code == 555)) {
            errors++;
            if (errors >= server.settings().maxErrors()) {
                LOG.info("{} too many errors, closing", session.id());
                write(Replies.S421_TOO_MANY_ERRORS);
            }
        }
        afterReply();
    }

    /**
     * Sends one reply of an exchange that has several (LMTP: one per recipient after DATA). The exchange ends with
     * its last reply, sent with {@link #reply}: only that one counts against the error budget and may be followed
     * by a shutdown notice.
     */
    public void replyPart(Reply reply) {
        write(reply);
    }

    /** After the reply that ends the current exchange, tell the client the server is going away. */
    private void afterReply() {
        if (shutdownReply != null && !closed && !paused && !framer.inData() && dataContinuation == null) {
            write(shutdownReply);
        }
    }

    /** Counts a failed AUTH attempt; past the budget the connection closes with 421 after {@code reply}. */
    public void authFailed(Reply reply) {
        authFailures++;
        metrics.authFailure();
        write(reply);
        if (!closed && authFailures >= server.settings().maxAuthFailures()) {
            write(Replies.S421_TOO_MANY_AUTH_FAILURES);
        }
    }

    /** Answers a hook's result the way commands answer: its reply, or {@code fallback} when it proceeded. */
    public void replyWith(HookResult result, Reply fallback) {
        Reply reply = result.replyValue();
        if (reply == null) {
            reply(fallback);
        } else {
            replyFromHandler(reply);
        }
    }

    /** A handler's own reply: sent as is, never counted as the client's syntax error. */
    private void replyFromHandler(Reply reply) {
        write(reply);
        dataVerdict = false;
        afterReply();
    }

    /** Answers a custom command's result, now or when it completes. */
    public void answer(HookResult result) {
        settle(result, this::answerCommand);
    }

    @Override
    public void pushLine(Reply intermediate, LineHandler next) {
        lineHandler = next;
        write(intermediate);
    }

    /** Switches input to DATA: the message, once its terminator arrived, goes to {@code continuation}. */
    public void expectData(DotReader reader, Consumer<DotReader> continuation) {
        dataContinuation = continuation;
        framer.expectData(reader);
    }

    /** Switches input to one BDAT chunk: its octets, read raw, then go to {@code continuation}. */
    /** The next reply is the verdict on a message (DATA's, or the last BDAT chunk's): the metrics count it. */
    public void expectMessageVerdict() {
        dataVerdict = true;
    }

    public void expectChunk(ChunkReader reader, Consumer<ChunkReader> continuation) {
        chunkContinuation = continuation;
        framer.expectChunk(reader);
    }

    /**
     * XCLIENT (Postfix): the session starts afresh as {@code fresh} (no HELO, no transaction) and is greeted again
     * with {@code 220}.
     */
    public void restartSession(SessionState fresh) {
        session = fresh;
        envelope = new EnvelopeState();
        lineHandler = null;
        greet();
    }

    // ---- TLS -------------------------------------------------------------------------------------------------------

    /** Implicit TLS (SMTPS): the connection starts with a handshake; the greeting follows it. */
    public void expectImplicitTls() {
        tlsPending = true;
        implicitTls = true;
    }

    /**
     * STARTTLS (RFC 3207): sends {@code ready} in clear and starts TLS. Everything the client sent after the
     * command in clear, and anything before the handshake completed, is discarded (CVE-2011-0411).
     */
    public void startTls(Reply ready) {
        tlsPending = true;
        lineHandler = null;
        framer.discard();
        connection.startTls(ready, server.starttls());
    }

    /** Whether a TLS handshake is under way. */
    public boolean awaitingTls() {
        return tlsPending && !closed;
    }

    /**
     * The TLS handshake completed. Implicit TLS: the greeting. STARTTLS: the session starts afresh (RFC 3207 4.2:
     * no HELO, no AUTH, no transaction; the PROXY data stays), then the STARTTLS hook decides whether later
     * commands are refused for lack of security.
     */
    public void onTlsEstablished(SSLSession ssl) {
        if (!awaitingTls()) {
            return;
        }
        tlsPending = false;
        framer.endDiscard();
        metrics.tlsHandshake();
        TlsInfo info = SessionTlsInfo.of(ssl, implicitTls);
        LOG.debug("{} TLS established: {}", session.id(), info);
        timer.touch();
        if (implicitTls) {
            session.tls(info);
            if (started) {
                greet();
            }
            return;
        }
        SessionState fresh = new SessionState(session.id(), session.peer(), session.localAddress(),
                session.serverHostname(), session.lmtp());
        session.proxyData().ifPresent(fresh::proxyData);
        fresh.tls(info);
        session = fresh;
        envelope = new EnvelopeState();
        hook(h -> h.handleStartTls(session, envelope), result -> {
            if (result.kind() != HookResult.Kind.PROCEED && result.kind() != HookResult.Kind.ACCEPT) {
                securityRefused = true; // DENY, or the hook failed: fail closed
                LOG.info("{} the STARTTLS hook refused the TLS session", session.id());
            }
        });
    }

    /** Closes after the queued replies. */
    public void close() {
        closed = true;
        connection.close();
    }

    // ---- events from the transport ---------------------------------------------------------------------------

    /** The idle timeout passed: {@code 421 4.4.2 <hostname> timeout}. */
    public void onTimeout() {
        if (closed) {
            return;
        }
        if (paused) {
            timer.touch(); // a slow hook is not the client's idleness
            return;
        }
        if (tlsPending) {
            LOG.debug("{} TLS handshake timed out", session.id());
            close(); // nothing can be said: the client expects TLS records
            return;
        }
        LOG.debug("{} timeout", session.id());
        write(Reply.parse("421 4.4.2 " + server.hostname() + " timeout").closing());
    }

    /**
     * The server is stopping: {@code reply} (a 421) now when the session is between commands, else once the
     * command or message under way has been answered.
     */
    public void shutdown(Reply reply) {
        if (closed) {
            return;
        }
        if (!started || tlsPending) {
            close(); // still waiting for a PROXY header or a TLS handshake: nothing may be sent
            return;
        }
        shutdownReply = reply.closing();
        afterReply();
    }

    /** The connection is gone: nothing more is sent, and a message not completed is dropped. */
    public void onClosed() {
        if (tlsPending) {
            tlsPending = false;
            metrics.tlsFailure(); // the session ended before its handshake did
        }
        closed = true;
        timer.cancel();
        if (framer.inData() || dataContinuation != null) {
            LOG.info("{} connection lost during DATA; message discarded", session.id());
        }
        dataContinuation = null;
        chunkContinuation = null;
        framer.expectData(null);
        framer.expectChunk(null);
        LOG.debug("{} closed", session.id());
    }

    // ---- operations: counters, the session's state and summary, the log context ----------------------------

    private void countReply(Reply reply) {
        int code = reply.code();
        metrics.reply(code);
        if (code == 235) {
            metrics.authSuccess();
        }
        if (dataVerdict) {
            if (code < 400) {
                messagesAccepted++;
                metrics.messageAccepted();
            } else {
                messagesRejected++;
                metrics.messageRejected();
            }
        }
    }

    /**
     * An operator ends the session now: {@code reply} (a 421), even with a command or a hook under way; a plain
     * close while a PROXY header or a TLS handshake is awaited (nothing may be sent then).
     */
    public void kill(Reply reply) {
        if (closed) {
            return;
        }
        killed = true;
        if (!started || tlsPending) {
            close();
            return;
        }
        write(reply.closing());
    }

    /** What the session is doing, for operators: see {@code io.smtpd.server.SessionInfo#state}. */
    public String stateName() {
        if (closed) {
            return "closing";
        }
        if (!started) {
            return "greeting";
        }
        if (tlsPending) {
            return "tls-handshake";
        }
        if (paused) {
            return "handler";
        }
        if (framer.inData() || dataContinuation != null) {
            return "data";
        }
        return envelope.mailFrom() != null ? "transaction" : "command";
    }

    /** The client address as the log context shows it (the PROXY source once known). */
    public String logClient() {
        java.net.InetSocketAddress address = session.clientAddress();
        if (address != logAddress || logClient == null) {
            logAddress = address;
            logClient = SessionLog.format(address);
        }
        return logClient;
    }

    /** One line for the end of the session: client, duration, commands, messages, bytes, how it ended. */
    public String summary(long bytesReceived, long bytesSent) {
        String how;
        if (killed) {
            how = "killed by an operator";
        } else if (closingCode == 221) {
            how = "QUIT";
        } else if (shutdownReply != null) {
            how = "server shutdown";
        } else if (closingCode != 0) {
            how = "closed by the server (" + closingCode + ")";
        } else {
            how = "client disconnected";
        }
        return "session " + session.id() + " ended: server " + server.name() + ", client " + logClient() + ", "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + " ms, " + commandCount
                + " commands, " + messagesAccepted + " messages accepted, " + messagesRejected + " rejected, "
                + bytesReceived + " bytes in, " + bytesSent + " bytes out, " + how;
    }

    // ---- internals -------------------------------------------------------------------------------------------

    private void write(Reply reply) {
        if (closed) {
            return;
        }
        if (server.settings().enhancedStatusCodes()) {
            reply = EnhancedStatus.complete(reply, currentVerb);
        }
        connection.write(reply);
        countReply(reply);
        if (reply.closesConnection()) {
            closingCode = reply.code();
            closed = true;
            timer.cancel();
        }
    }

    /**
     * A line handler's result: its reply; {@link HookResult#proceed()} sends nothing (the handler pushed the next
     * line handler, or answered through the conversation itself, as AUTH does).
     */
    private void answerLine(HookResult result) {
        if (result.replyValue() != null) {
            answerCommand(result);
        }
    }

    private void answerCommand(HookResult result) {
        Reply reply = result.replyValue();
        if (reply == null) {
            if (lineHandler != null) {
                return; // the command pushed an intermediate reply and waits for the next line
            }
            throw new IllegalStateException("a command must answer with a reply");
        }
        reply(reply);
    }

    private void settle(HookResult result, Consumer<HookResult> then) {
        HookResult r = result == null ? HookResult.proceed() : result;
        if (r.kind() != HookResult.Kind.LATER) {
            then.accept(r);
            return;
        }
        paused = true;
        connection.pauseInput();
        // the handler's stage may be any CompletionStage: bound a copy of it by the handler timeout
        CompletableFuture<HookResult> bounded = new CompletableFuture<>();
        r.stage().whenComplete((value, error) -> {
            if (error != null) {
                bounded.completeExceptionally(error);
            } else {
                bounded.complete(value);
            }
        });
        bounded.orTimeout(server.settings().handlerTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((value, error) -> connection.execute(() -> {
                    paused = false;
                    if (closed) {
                        return;
                    }
                    HookResult next = error == null ? value : timedOut(unwrap(error));
                    guarded(() -> settle(next, then));
                }));
    }

    private HookResult timedOut(Throwable error) {
        if (error instanceof TimeoutException) {
            LOG.warn("{} a handler hook did not complete within {}", session.id(),
                    server.settings().handlerTimeout());
            return HookResult.reply(Replies.S451_HANDLER_TIMEOUT);
        }
        return fromException(error);
    }

    private void guarded(Runnable action) {
        try {
            action.run();
        } catch (Throwable error) {
            HookResult result = fromException(error);
            reply(result.replyValue());
        }
    }

    private HookResult fromException(Throwable error) {
        if (error instanceof SmtpRejectException) {
            return HookResult.reply(((SmtpRejectException) error).reply());
        }
        if (error instanceof VirtualMachineError) {
            throw (VirtualMachineError) error;
        }
        try {
            HookResult handled = hookHandler().handleException(session, error);
            if (handled != null && handled.replyValue() != null) {
                return HookResult.reply(handled.replyValue());
            }
            LOG.warn("{} SMTP session exception", session.id(), error);
            return HookResult.reply(Replies.exception(error));
        } catch (Throwable inner) {
            LOG.warn("{} exception in handleException", session.id(), inner);
            return HookResult.reply(Replies.exception(inner));
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    @Override
    public String toString() {
        return "Conversation[" + session + "]";
    }
}
