package org.postbus.imap.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.postbus.imap.internal.session.SessionContext;
import org.postbus.imap.internal.session.SessionRegistry;
import org.postbus.protocol.ProtocolListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening IMAP port: the MINA acceptor, the worker threads that run its sessions, and its
 * health. Knows nothing of OSGi, so tests run it as it is. On close, connected clients are told
 * BYE once their command under way is done.
 */
public final class ImapListener extends ProtocolListener {

    private static final Logger LOG = LoggerFactory.getLogger(ImapListener.class);

    private final ListenerSettings settings;
    private final Path spoolDir;

    /**
     * @param settings the listener's configuration
     * @param services the services its sessions use
     * @param registry where sessions register for store notifications
     */
    public ImapListener(ListenerSettings settings, Services services, SessionRegistry registry) {
        this(settings, services, registry, privateSpool());
    }

    /**
     * A spool folder of this listener's own: a shared one would have its files cleaned away by
     * another listener of the same name starting meanwhile (as in concurrent test runs).
     */
    private static Path privateSpool() {
        try {
            return Files.createTempDirectory("postbus-imap-spool");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create a spool folder for large literals", e);
        }
    }

    /**
     * @param settings the listener's configuration
     * @param services the services its sessions use
     * @param registry where sessions register for store notifications
     * @param spoolDir where large APPEND literals are held while they arrive
     */
    public ImapListener(ListenerSettings settings, Services services, SessionRegistry registry, Path spoolDir) {
        super("IMAP", settings, 5, (workers, timer) -> new ImapIoHandler(settings,
                new SessionContext(settings, services, registry, workers, spoolDir.resolve(settings.name())),
                workers, timer));
        this.settings = settings;
        this.spoolDir = spoolDir.resolve(settings.name());
    }

    /** Spool files of a listener that stopped abruptly hold nothing anyone waits for. */
    @Override
    protected void beforeStart() {
        if (!Files.isDirectory(spoolDir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(spoolDir, "literal-*.tmp")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.warn("IMAP listener '{}': cannot clean the spool folder {}: {}", settings.name(), spoolDir,
                    e.toString());
        }
    }
}
