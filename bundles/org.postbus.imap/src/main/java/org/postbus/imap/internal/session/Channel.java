package org.postbus.imap.internal.session;

import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/** What a session needs from its connection; called only in the session's turn. */
public interface Channel {

    /** Queues bytes for the client; they are written when the turn ends or the buffer fills. */
    void send(byte[] bytes);

    /** Writes what is queued now, waiting while the client is slow to read. */
    void flush();

    /** Writes what is queued (the tagged OK), then starts TLS; input received meanwhile is dropped. */
    void startTls(SSLContext context, List<String> protocols);

    /** Writes what is queued (the tagged OK), then compresses both directions (RFC 4978). */
    void startCompression();

    /** Writes what is queued and closes the connection. */
    void close();

    /** Parks the session and runs {@code step} in a later turn. */
    void later(Duration delay, Runnable step);

    /** Asks for a turn soon, from any thread, to deliver notifications (IDLE). */
    void wake();
}
