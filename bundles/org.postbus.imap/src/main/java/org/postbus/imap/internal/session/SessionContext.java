package org.postbus.imap.internal.session;

import java.util.concurrent.Executor;
import org.postbus.imap.internal.ListenerSettings;
import org.postbus.imap.internal.Services;

/**
 * What every session of one listener shares.
 *
 * @param settings the listener's settings
 * @param services the services, each possibly absent
 * @param registry the sessions of all listeners, for notifications and limits
 * @param workers the listener's worker threads
 * @param spoolDir where large literals (APPEND) are held while they arrive
 */
public record SessionContext(ListenerSettings settings, Services services, SessionRegistry registry,
        Executor workers, java.nio.file.Path spoolDir) {
}
