package org.postbus.pop3.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
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
 * One listening POP3 port: the MINA acceptor, the worker threads that run its sessions, and its
 * health. Knows nothing of OSGi, so tests run it as it is.
 */
public final class Pop3Listener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Listener.class);
    private static final long STOP_GRACE_MILLIS = 3000;
    /** Pending connections the kernel may hold before the server accepts them. */
    static final int BACKLOG = 1024;

    private final ListenerSettings settings;
    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor timer;
    private final Pop3IoHandler handler;

    private NioSocketAcceptor acceptor;
    private volatile Health health = Health.down("not started");

    /**
     * @param settings the listener's configuration
     * @param services the services its sessions use
     */
    public Pop3Listener(ListenerSettings settings, Services services) {
        this.settings = settings;
        // Each session runs on at most one worker at a time, so the connection limit bounds the pool.
        this.workers = new ThreadPoolExecutor(0, settings.maxConnections() + 4, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads("worker"));
        this.timer = new ScheduledThreadPoolExecutor(1, threads("timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.handler = new Pop3IoHandler(settings, services, workers, timer);
    }

    /**
     * Binds the port. A port that cannot be bound is logged in one line and reported by
     * {@link #health()}; the listener then serves nothing until it is started anew.
     *
     * @return whether the port is bound
     */
    public boolean start() {
        NioSocketAcceptor bound = new NioSocketAcceptor();
        bound.setReuseAddress(true);
        bound.setBacklog(BACKLOG);
        bound.setCloseOnDeactivation(false);
        bound.getSessionConfig().setTcpNoDelay(true);
        bound.getSessionConfig().setReaderIdleTime(1);
        bound.setHandler(handler);
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        try {
            bound.bind(address);
        } catch (IOException | RuntimeException e) {
            bound.dispose();
            String reason = reason(e);
            LOG.error("POP3 listener '{}' cannot listen on {}:{}: {}. Change the port in {}{}", settings.name(),
                    settings.host(), settings.port(), reason, settings.configFile(),
                    settings.portVariable().isEmpty() ? "" : " (or set " + settings.portVariable() + ")");
            health = Health.down("cannot listen on " + settings.host() + ":" + settings.port() + ": " + reason);
            return false;
        }
        acceptor = bound;
        InetSocketAddress local = bound.getLocalAddress();
        health = Health.up("listening on " + local.getAddress().getHostAddress() + ":" + local.getPort());
        LOG.info("POP3 listener '{}'{} listening on {}:{}", settings.name(),
                settings.implicitTls() ? " (implicit TLS)" : "", local.getAddress().getHostAddress(), local.getPort());
        return true;
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
     * Stops accepting, tells connected clients the server goes away, waits briefly for commands
     * under way, then closes everything and stops the threads. Sessions that did not QUIT keep
     * their messages (RFC 1939 6).
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
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "pop3-" + settings.name() + "-" + role + "-" + count.incrementAndGet());
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
