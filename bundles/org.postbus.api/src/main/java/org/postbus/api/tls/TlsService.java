package org.postbus.api.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The server's TLS identity, for STARTTLS and implicit-TLS listeners. Registered by the TLS
 * bundle: a self-signed certificate made on first start, or the configured PEM certificate and
 * key, reloaded when their files change.
 *
 * <p>Call {@link #sslContext()} for each new connection rather than keeping the result: after a
 * reload it returns a context with the new certificate, and connections already open keep theirs.
 */
@ProviderType
public interface TlsService {

    /** The current server context, restricted to the protocols of {@link #protocols()}. */
    SSLContext sslContext();

    /** The protocols to enable on server sockets, such as {@code TLSv1.3} and {@code TLSv1.2}. */
    List<String> protocols();

    /** The current certificate chain, leaf first. */
    List<X509Certificate> certificateChain();

    /** Whether the certificate is the generated self-signed one. */
    boolean selfSigned();
}
