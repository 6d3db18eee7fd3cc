package io.smtpd.impl.tls;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The {@link SSLEngine} of a server session: the JDK's, with two changes.
 *
 * <ul>
 *   <li>Client-initiated renegotiation is refused, per engine: once the first handshake finished, a TLS 1.2
 *       handshake message from the client (a new ClientHello) fails with an {@link SSLHandshakeException}, and the
 *       transport closes the connection. The JDK's own switch, {@code jdk.tls.rejectClientInitiatedRenegotiation}, is
 *       a system property for the whole JVM, which a library must not set. TLS 1.3 has no renegotiation (its
 *       post-handshake messages, KeyUpdate and NewSessionTicket, are left alone).</li>
 *   <li>Delegated handshake tasks run at once, inside {@code wrap}/{@code unwrap}, which then report the status that
 *       follows them ({@code NEED_TASK} is never returned). The JDK processes handshake messages in those tasks, so a
 *       refused handshake (an old protocol, no common cipher) fails there; MINA's task runner logs such failures at
 *       ERROR with a stack trace, while this way they reach the session as an ordinary {@link SSLException} (logged
 *       at DEBUG, connection closed).</li>
 * </ul>
 * Everything else is delegated.
 */
final class ServerEngine extends SSLEngine {
    private final SSLEngine engine;
    private volatile boolean established;

    ServerEngine(SSLEngine engine) {
        super(engine.getPeerHost(), engine.getPeerPort());
        this.engine = engine;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        return note(afterTasks(engine.wrap(srcs, offset, length, dst)));
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        SSLEngineResult result = engine.unwrap(src, dsts, offset, length);
        if (established && renegotiating(result)) {
            engine.closeOutbound();
            throw new SSLHandshakeException("client-initiated renegotiation refused");
        }
        return note(afterTasks(result));
    }

    /** Runs the delegated tasks {@code result} asks for, and reports the status after them. */
    private SSLEngineResult afterTasks(SSLEngineResult result) {
        if (result.getHandshakeStatus() != HandshakeStatus.NEED_TASK) {
            return result;
        }
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
        return new SSLEngineResult(result.getStatus(), engine.getHandshakeStatus(), result.bytesConsumed(),
                result.bytesProduced());
    }

    private SSLEngineResult note(SSLEngineResult result) {
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            established = true;
        }
        return result;
    }

    private boolean renegotiating(SSLEngineResult result) {
        HandshakeStatus status = result.getHandshakeStatus();
        return result.getStatus() == SSLEngineResult.Status.OK
                && (status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP
                || status == HandshakeStatus.NEED_UNWRAP)
                && !"TLSv1.3".equals(engine.getSession().getProtocol());
    }

    @Override
    public Runnable getDelegatedTask() {
        return engine.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws SSLException {
        engine.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
        return engine.isInboundDone();
    }

    @Override
    public void closeOutbound() {
        engine.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
        return engine.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return engine.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return engine.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        engine.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return engine.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return engine.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        engine.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return engine.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return engine.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
        if (established) {
            throw new SSLHandshakeException("renegotiation is not supported");
        }
        engine.beginHandshake();
    }

    @Override
    public HandshakeStatus getHandshakeStatus() {
        return engine.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        engine.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return engine.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        engine.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return engine.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        engine.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return engine.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        engine.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return engine.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return engine.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters parameters) {
        engine.setSSLParameters(parameters);
    }

    @Override
    public String getApplicationProtocol() {
        return engine.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return engine.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        engine.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return engine.getHandshakeApplicationProtocolSelector();
    }

    @Override
    public String toString() {
        return engine.toString();
    }
}
