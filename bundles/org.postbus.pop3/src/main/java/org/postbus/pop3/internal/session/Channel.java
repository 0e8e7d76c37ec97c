package org.postbus.pop3.internal.session;

import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.postbus.pop3.internal.codec.ByteSink;

/**
 * The connection under a session, as the session sees it. All calls come from the one thread
 * that runs the session at a time.
 *
 * <p>As a {@link ByteSink} it takes responses, held back and sent together; a large response
 * (RETR) waits while the client reads slower than the server writes, and the sink refuses more
 * once the client has stopped reading for the command timeout or is gone.
 */
public interface Channel extends ByteSink {

    /**
     * Sends the responses so far, the last being STLS's {@code +OK}, then speaks TLS. Bytes the
     * client sent before its TLS handshake are dropped: they were pipelined in plaintext.
     */
    void startTls(SSLContext context, List<String> protocols);

    /** Closes the connection once the responses so far are sent. */
    void close();

    /**
     * Runs {@code step} after {@code delay}, in the session's turn; the session reads no input
     * until then.
     */
    void later(Duration delay, Runnable step);
}
