package org.postbus.imap.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.postbus.api.health.Health;
import org.postbus.imap.internal.session.SessionContext;
import org.postbus.imap.internal.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening IMAP port: the MINA acceptor, the worker threads that run its sessions, and its
 * health. Knows nothing of OSGi, so tests run it as it is.
 */
public final class ImapListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapListener.class);
    private static final long STOP_GRACE_MILLIS = 3000;
    static final int BACKLOG = 1024;

    private final ListenerSettings settings;
    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor timer;
    private final ImapIoHandler handler;
    private final SessionContext context;
    private final Path spoolDir;

    private NioSocketAcceptor acceptor;
    private volatile Health health = Health.down("not started");

    /**
     * @param settings the listener's configuration
     * @param services the services its sessions use
     * @param registry where sessions register for store notifications
     */
    public ImapListener(ListenerSettings settings, Services services, SessionRegistry registry) {
        this(settings, services, registry, Path.of(System.getProperty("java.io.tmpdir"), "postbus-imap-spool"));
    }

    /**
     * @param settings the listener's configuration
     * @param services the services its sessions use
     * @param registry where sessions register for store notifications
     * @param spoolDir where large APPEND literals are held while they arrive
     */
    public ImapListener(ListenerSettings settings, Services services, SessionRegistry registry, Path spoolDir) {
        this.settings = settings;
        this.spoolDir = spoolDir.resolve(settings.name());
        // Each session runs on at most one worker at a time; idle sessions hold none.
        this.workers = new ThreadPoolExecutor(0, settings.maxConnections() + 4, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads("worker"));
        this.timer = new ScheduledThreadPoolExecutor(1, threads("timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.context = new SessionContext(settings, services, registry, workers, this.spoolDir);
        this.handler = new ImapIoHandler(settings, context, workers, timer);
    }

    /** Binds the port; one that cannot be bound is logged in one line and reported as down. */
    public boolean start() {
        removeLeftoverSpool();
        NioSocketAcceptor bound = new NioSocketAcceptor();
        bound.setReuseAddress(true);
        bound.setBacklog(BACKLOG);
        bound.setCloseOnDeactivation(false);
        bound.getSessionConfig().setTcpNoDelay(true);
        bound.getSessionConfig().setReaderIdleTime(5);
        bound.setHandler(handler);
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        try {
            bound.bind(address);
        } catch (IOException | RuntimeException e) {
            bound.dispose();
            String reason = reason(e);
            LOG.error("IMAP listener '{}' cannot listen on {}:{}: {}. Change the port in {}{}", settings.name(),
                    settings.host(), settings.port(), reason, settings.configFile(),
                    settings.portVariable().isEmpty() ? "" : " (or set " + settings.portVariable() + ")");
            health = Health.down("cannot listen on " + settings.host() + ":" + settings.port() + ": " + reason);
            return false;
        }
        acceptor = bound;
        InetSocketAddress local = bound.getLocalAddress();
        health = Health.up("listening on " + local.getAddress().getHostAddress() + ":" + local.getPort());
        LOG.info("IMAP listener '{}'{} listening on {}:{}", settings.name(),
                settings.implicitTls() ? " (implicit TLS)" : "", local.getAddress().getHostAddress(), local.getPort());
        return true;
    }

    /** The bound address, once started. */
    public InetSocketAddress localAddress() {
        NioSocketAcceptor current = acceptor;
        return current == null ? null : current.getLocalAddress();
    }

    /** Up and where, or down and why. */
    public Health health() {
        return health;
    }

    /** Open connections now. */
    public int openConnections() {
        return handler.openConnections();
    }

    /** Stops accepting, says BYE to connected clients, then closes everything and stops the threads. */
    @Override
    public void close() {
        NioSocketAcceptor current = acceptor;
        acceptor = null;
        health = Health.down("stopped");
        if (current != null) {
            current.unbind();
            handler.stopAll(current.getManagedSessions().values());
            long deadline = System.currentTimeMillis() + STOP_GRACE_MILLIS;
            while (current.getManagedSessionCount() > 0 && System.currentTimeMillis() < deadline) {
                sleep(20);
            }
            current.dispose(true);
        }
        timer.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Spool files of a listener that stopped abruptly hold nothing anyone waits for. */
    private void removeLeftoverSpool() {
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

    private ThreadFactory threads(String role) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "imap-" + settings.name() + "-" + role + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
