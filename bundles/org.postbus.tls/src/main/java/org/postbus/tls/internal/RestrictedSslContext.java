package org.postbus.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An initialised JDK {@link SSLContext} whose engines, sockets, server sockets and default
 * parameters have only the chosen protocols enabled, so that a listener which forgets to call
 * {@code setEnabledProtocols} still never speaks an older version.
 */
final class RestrictedSslContext extends SSLContext {

    /** The type of the transient key store the key managers are made from. */
    static final String IN_MEMORY_STORE_TYPE = "JKS";

    private RestrictedSslContext(SSLContext delegate, String[] protocols) {
        super(new Spi(delegate, protocols), delegate.getProvider(), delegate.getProtocol());
    }

    /**
     * A server context for an identity, made by the JDK's default provider from an in-memory
     * key store.
     */
    static SSLContext create(TlsIdentity identity, List<String> protocols) throws GeneralSecurityException {
        // The store lives in memory only, for the key manager factory to read back at once; the
        // password merely satisfies the API. PKCS#12 wraps and unwraps the key with 10,000 PBKDF2
        // rounds each way: 85 to 180 ms of CPU at every server start, as the JIT has not compiled
        // SHA-256 yet (JKS: under 10 ms). JKS's key protection is weak, and protects nothing
        // that matters here: the key is in this process's heap either way.
        char[] password = UUID.randomUUID().toString().toCharArray();
        KeyStore store = KeyStore.getInstance(IN_MEMORY_STORE_TYPE);
        try {
            store.load(null, password);
        } catch (IOException e) {
            throw new KeyStoreException("cannot create an empty key store", e);
        }
        store.setKeyEntry("server", identity.key(), password, identity.chain().toArray(Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), new TrustManager[] {new TrustOnDemand()}, null);
        return restrict(context, protocols);
    }

    /** Wraps an initialised context. */
    static SSLContext restrict(SSLContext delegate, List<String> protocols) {
        return new RestrictedSslContext(delegate, protocols.toArray(String[]::new));
    }

    private static final class Spi extends SSLContextSpi {

        private final SSLContext delegate;
        private final String[] protocols;

        Spi(SSLContext delegate, String[] protocols) {
            this.delegate = delegate;
            this.protocols = protocols;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("The TLS service's context is already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new SocketFactory(delegate.getSocketFactory(), protocols);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return new ServerSocketFactory(delegate.getServerSocketFactory(), protocols);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return restrict(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return restrict(delegate.createSSLEngine(host, port));
        }

        private SSLEngine restrict(SSLEngine engine) {
            engine.setEnabledProtocols(protocols.clone());
            return engine;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            SSLParameters parameters = delegate.getDefaultSSLParameters();
            parameters.setProtocols(protocols.clone());
            return parameters;
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }

    private static final class ServerSocketFactory extends SSLServerSocketFactory {

        private final SSLServerSocketFactory delegate;
        private final String[] protocols;

        ServerSocketFactory(SSLServerSocketFactory delegate, String[] protocols) {
            this.delegate = delegate;
            this.protocols = protocols;
        }

        private ServerSocket restrict(ServerSocket socket) {
            ((SSLServerSocket) socket).setEnabledProtocols(protocols.clone());
            return socket;
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return restrict(delegate.createServerSocket());
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return restrict(delegate.createServerSocket(port));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return restrict(delegate.createServerSocket(port, backlog));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return restrict(delegate.createServerSocket(port, backlog, address));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }

    private static final class SocketFactory extends SSLSocketFactory {

        private final SSLSocketFactory delegate;
        private final String[] protocols;

        SocketFactory(SSLSocketFactory delegate, String[] protocols) {
            this.delegate = delegate;
            this.protocols = protocols;
        }

        private Socket restrict(Socket socket) {
            ((SSLSocket) socket).setEnabledProtocols(protocols.clone());
            return socket;
        }

        @Override
        public Socket createSocket() throws IOException {
            return restrict(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return restrict(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
            return restrict(delegate.createSocket(socket, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return restrict(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return restrict(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return restrict(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return restrict(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
