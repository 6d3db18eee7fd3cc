package io.smtpd.handlers;

import java.net.InetSocketAddress;
import java.util.Optional;

import io.smtpd.api.Attributes;
import io.smtpd.api.Session;
import io.smtpd.api.TlsInfo;
import io.smtpd.api.proxy.ProxyData;

/** A session of a client at a given address, as the server would hand it to a hook. */
final class TestSession implements Session {
    private final InetSocketAddress client;
    private final boolean lmtp;
    private final Attributes attributes = new MapAttributes();
    private String hostName = "client.test";

    private TestSession(InetSocketAddress client, boolean lmtp) {
        this.client = client;
        this.lmtp = lmtp;
    }

    /** A client at {@code ip} (a literal, so nothing is looked up), port 40000. */
    static TestSession from(String ip) {
        return new TestSession(new InetSocketAddress(ip, 40000), false);
    }

    static TestSession lmtpFrom(String ip) {
        return new TestSession(new InetSocketAddress(ip, 40000), true);
    }

    @Override
    public String id() {
        return "test-1";
    }

    @Override
    public InetSocketAddress peer() {
        return client;
    }

    @Override
    public InetSocketAddress clientAddress() {
        return client;
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 8025);
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
        return true;
    }

    @Override
    public String serverHostname() {
        return "smtpd.test";
    }

    @Override
    public boolean lmtp() {
        return lmtp;
    }

    @Override
    public Optional<TlsInfo> tls() {
        return Optional.empty();
    }

    @Override
    public boolean authenticated() {
        return false;
    }

    @Override
    public Optional<Object> authData() {
        return Optional.empty();
    }

    @Override
    public Optional<ProxyData> proxyData() {
        return Optional.empty();
    }

    @Override
    public Attributes attributes() {
        return attributes;
    }
}
