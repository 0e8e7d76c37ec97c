package org.postbus.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.postbus.api.health.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening port of a protocol: the MINA acceptor, the worker threads that run its sessions,
 * and its health. Knows nothing of OSGi, so tests run it as it is. A protocol gives the handler
 * that runs its sessions on the listener's threads.
 */
public abstract class ProtocolListener implements AutoCloseable {

    /** Pending connections the kernel may hold before the server accepts them. */
    public static final int BACKLOG = 1024;
    private static final long STOP_GRACE_MILLIS = 3000;

    /** Makes a listener's handler, given the threads its sessions run on. */
    @FunctionalInterface
    public interface Handlers {
        /**
         * @param workers the pool that runs the sessions' blocking work
         * @param timer for delayed steps
         */
        ProtocolIoHandler create(ExecutorService workers, ScheduledExecutorService timer);
    }

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String protocol;
    private final ProtocolSettings settings;
    private final int idleSeconds;
    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor timer;
    private final ProtocolIoHandler handler;

    private NioSocketAcceptor acceptor;
    private volatile Health health = Health.down("not started");

    /**
     * @param protocol the protocol's name in log lines, such as {@code SMTP}; in lower case it
     *     starts the thread names
     * @param settings the listener's configuration
     * @param idleSeconds how often a connection that sends nothing is checked for its timeouts
     * @param handlers makes the handler
     */
    protected ProtocolListener(String protocol, ProtocolSettings settings, int idleSeconds, Handlers handlers) {
        this.protocol = protocol;
        this.settings = settings;
        this.idleSeconds = idleSeconds;
        // Each session runs on at most one worker at a time, so the connection limit bounds the pool.
        this.workers = new ThreadPoolExecutor(0, settings.maxConnections() + 4, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads("worker"));
        this.timer = new ScheduledThreadPoolExecutor(1, threads("timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.handler = handlers.create(workers, timer);
    }

    /** Called before each bind, for what a protocol clears away first. */
    protected void beforeStart() {
    }

    /** What the line that announces the listener says after its name, such as {@code " (implicit TLS)"}. */
    protected String description() {
        return settings.implicitTls() ? " (implicit TLS)" : "";
    }

    /**
     * Binds the port. A port that cannot be bound is logged in one line and reported by
     * {@link #health()}; the listener then serves nothing until it is started anew.
     *
     * @return whether the port is bound
     */
    public boolean start() {
        beforeStart();
        NioSocketAcceptor bound = new NioSocketAcceptor();
        bound.setReuseAddress(true);
        // MINA's default backlog of 50 drops SYNs when more clients connect at once (they retry
        // after a second); the kernel caps it at net.core.somaxconn anyway.
        bound.setBacklog(BACKLOG);
        bound.setCloseOnDeactivation(false);
        bound.getSessionConfig().setTcpNoDelay(true);
        bound.getSessionConfig().setReaderIdleTime(idleSeconds);
        bound.setHandler(handler);
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        try {
            bound.bind(address);
        } catch (IOException | RuntimeException e) {
            bound.dispose();
            String reason = reason(e);
            log.error("{} listener '{}' cannot listen on {}:{}: {}. Change the port in {}{}", protocol,
                    settings.name(), settings.host(), settings.port(), reason, settings.configFile(),
                    settings.portVariable().isEmpty() ? "" : " (or set " + settings.portVariable() + ")");
            health = Health.down("cannot listen on " + settings.host() + ":" + settings.port() + ": " + reason);
            return false;
        }
        acceptor = bound;
        InetSocketAddress local = bound.getLocalAddress();
        health = Health.up("listening on " + local.getAddress().getHostAddress() + ":" + local.getPort());
        log.info("{} listener '{}'{} listening on {}:{}", protocol, settings.name(), description(),
                local.getAddress().getHostAddress(), local.getPort());
        return true;
    }

    /** The listener's configuration. */
    public ProtocolSettings settings() {
        return settings;
    }

    /** The bound address, once started; the real port when 0 was configured. */
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

    /**
     * Stops accepting, tells connected clients that the server goes away, waits briefly for
     * commands under way, then closes everything and stops the threads.
     */
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

    private ThreadFactory threads(String role) {
        String prefix = protocol.toLowerCase(Locale.ROOT) + "-" + settings.name() + "-" + role + "-";
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
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
