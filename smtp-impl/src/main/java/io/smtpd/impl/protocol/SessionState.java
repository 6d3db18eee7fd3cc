package io.smtpd.impl.protocol;

import java.net.InetSocketAddress;
import java.util.Optional;

import io.smtpd.api.Attributes;
import io.smtpd.api.Session;
import io.smtpd.api.TlsInfo;
import io.smtpd.api.proxy.ProxyData;

/** The state of one connection. */
public final class SessionState implements Session {
    private final String id;
    private final InetSocketAddress peer;
    private final InetSocketAddress localAddress;
    private final String serverHostname;
    private final boolean lmtp;
    private String hostName;
    private boolean extendedSmtp;
    private TlsInfo tls;
    private boolean authenticated;
    private Object authData;
    private ProxyData proxyData;
    /** The client address a trusted proxy gave with XCLIENT, or {@code null}. */
    private InetSocketAddress xclientAddress;
    private java.util.Map<String, String> xclientAttributes = java.util.Map.of();
    private final AttributeMap attributes = new AttributeMap();

    public SessionState(String id, InetSocketAddress peer, InetSocketAddress localAddress, String serverHostname,
                        boolean lmtp) {
        this.id = id;
        this.peer = peer;
        this.localAddress = localAddress;
        this.serverHostname = serverHostname;
        this.lmtp = lmtp;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public InetSocketAddress peer() {
        return peer;
    }

    @Override
    public InetSocketAddress clientAddress() {
        if (xclientAddress != null) {
            return xclientAddress;
        }
        if (proxyData != null && proxyData.source() != null) {
            return proxyData.source();
        }
        return peer;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public void setHostName(String hostName) {
        this.hostName = hostName;
    }

    @Override
    public boolean extendedSmtp() {
        return extendedSmtp;
    }

    void extendedSmtp(boolean on) {
        this.extendedSmtp = on;
    }

    @Override
    public String serverHostname() {
        return serverHostname;
    }

    @Override
    public boolean lmtp() {
        return lmtp;
    }

    @Override
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    public void tls(TlsInfo tls) {
        this.tls = tls;
    }

    public boolean isTls() {
        return tls != null;
    }

    @Override
    public boolean authenticated() {
        return authenticated;
    }

    @Override
    public Optional<Object> authData() {
        return Optional.ofNullable(authData);
    }

    public void authenticate(Object data) {
        this.authenticated = true;
        this.authData = data;
    }

    @Override
    public Optional<ProxyData> proxyData() {
        return Optional.ofNullable(proxyData);
    }

    public void proxyData(ProxyData data) {
        this.proxyData = data;
    }

    @Override
    public java.util.Map<String, String> xclientAttributes() {
        return xclientAttributes;
    }

    /** XCLIENT: the client facts a trusted proxy gave; {@code address} {@code null} keeps the connection's. */
    public void xclient(InetSocketAddress address, java.util.Map<String, String> attributes) {
        this.xclientAddress = address;
        this.xclientAttributes = java.util.Map.copyOf(attributes);
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public String toString() {
        return "Session[" + id + " " + clientAddress() + "]";
    }
}
