package org.postbus.smtp.internal.session;

import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The connection under a session, as the session sees it. All calls come from the one thread
 * that runs the session at a time.
 */
public interface Channel {

    /** Sends a reply, after those before it. Replies may be held back and sent together. */
    void send(byte[] reply);

    /** Sends the replies held back so far now, without waiting for the input to run dry. */
    void flush();

    /**
     * Sends the replies so far, the last being STARTTLS's 220, then speaks TLS. Bytes the client
     * sent before its TLS handshake are dropped: they were pipelined in plaintext.
     */
    void startTls(SSLContext context, List<String> protocols);

    /** Closes the connection once the replies so far are sent. */
    void close();

    /**
     * Runs {@code step} after {@code delay}, in the session's turn; the session reads no input
     * until then.
     */
    void later(Duration delay, Runnable step);
}
