package org.postbus.tls.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.postbus.api.health.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the server's TLS identity: loads the configured PEM files or the self-signed certificate,
 * watches the files and swaps in a new context when they change. A problem with the files is
 * logged once and reported in {@link #health()}; the previous identity stays in use, so TLS
 * never stops working because of a bad file.
 *
 * <p>Plain Java, so that it can be tested without a framework; {@link TlsComponent} drives it.
 */
final class TlsIdentityManager implements AutoCloseable {

    /** Name of the one thread that watches the configured files. */
    static final String RELOAD_THREAD = "postbus-tls-reload";

    private static final Logger LOG = LoggerFactory.getLogger(TlsIdentityManager.class);

    /** What the service hands out; replaced as a whole, read without locking. */
    private record State(TlsIdentity identity, SSLContext context, List<String> protocols, List<String> problems) {

        State {
            problems = List.copyOf(problems);
        }

        State withProblems(List<String> newProblems) {
            return new State(identity, context, protocols, newProblems);
        }
    }

    /** What a file looked like; a different stamp means the file changed. */
    private record FileStamp(boolean exists, long size, FileTime modified, Object fileKey) {

        static final FileStamp ABSENT = new FileStamp(false, -1, FileTime.fromMillis(0), null);

        static FileStamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(true, attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
            } catch (NoSuchFileException e) {
                return ABSENT;
            } catch (IOException e) {
                // Unreadable metadata: loading the file will say what is wrong.
                return new FileStamp(false, -2, FileTime.fromMillis(0), e.getClass().getName());
            }
        }
    }

    private final Clock clock;
    private volatile State state;

    /** Guards the fields below and every change of {@link #state}. */
    private final Object lock = new Object();
    private TlsSettings settings;
    private Map<Path, FileStamp> loadedStamps = Map.of();
    private Map<Path, FileStamp> pendingStamps;
    private Optional<String> failedLoad = Optional.empty();
    private boolean closed;

    /** Only touched by start, reconfigure and close, which are synchronized on this. */
    private ScheduledExecutorService poller;

    /** Told of every new identity, after it is served; may be replaced before {@link #start()}. */
    private volatile java.util.function.Consumer<TlsIdentity> onChange = identity -> { };

    TlsIdentityManager(TlsSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sets who is told when the served identity changes (for example the HTTPS keystore). */
    void onChange(java.util.function.Consumer<TlsIdentity> listener) {
        this.onChange = Objects.requireNonNull(listener, "listener");
    }

    /** The identity served now, if loaded. */
    Optional<TlsIdentity> identity() {
        State current = state;
        return current == null ? Optional.empty() : Optional.of(current.identity());
    }

    /** Serves a new state and tells the listener if the identity changed. */
    private void serve(State next) {
        State previous = state;
        state = next;
        if (previous == null || previous.identity() != next.identity()) {
            try {
                onChange.accept(next.identity());
            } catch (RuntimeException e) {
                LOG.warn("TLS identity listener failed: {}", e.toString());
            }
        }
    }

    /**
     * Loads the identity and starts watching the configured files.
     *
     * @throws GeneralSecurityException only if not even a self-signed certificate can be made
     */
    synchronized void start() throws GeneralSecurityException {
        synchronized (lock) {
            apply();
        }
        startPoller();
    }

    /** Applies a changed configuration; on a problem the current configured identity stays. */
    synchronized void reconfigure(TlsSettings newSettings) throws GeneralSecurityException {
        stopPoller();
        synchronized (lock) {
            if (closed) {
                return;
            }
            settings = Objects.requireNonNull(newSettings, "newSettings");
            apply();
        }
        startPoller();
    }

    /** Stops watching; the reload thread has ended when this returns. */
    @Override
    public synchronized void close() {
        synchronized (lock) {
            closed = true;
        }
        stopPoller();
    }

    SSLContext sslContext() {
        return current().context();
    }

    List<String> protocols() {
        return current().protocols();
    }

    List<X509Certificate> certificateChain() {
        return current().identity().chain();
    }

    boolean selfSigned() {
        return current().identity().selfSigned();
    }

    /** Up while a certificate valid today is served; the detail names it and any file problem. */
    Health health() {
        State current = state;
        if (current == null) {
            return Health.down("TLS is not started");
        }
        TlsIdentity identity = current.identity();
        Instant now = clock.instant();
        StringBuilder detail = new StringBuilder(identity.selfSigned()
                ? "self-signed certificate for " + identity.source()
                : "certificate " + identity.subject() + " from " + identity.source());
        boolean valid = identity.validAt(now);
        if (now.isAfter(identity.expiry())) {
            detail.append(", EXPIRED on ").append(day(identity.expiry()));
        } else if (!valid) {
            detail.append(", not valid before ").append(day(identity.leaf().getNotBefore().toInstant()));
        } else {
            detail.append(", expires ").append(day(identity.expiry()));
        }
        detail.append("; protocols ").append(String.join(", ", current.protocols()));
        for (String problem : current.problems()) {
            detail.append("; ").append(problem);
        }
        return valid ? Health.up(detail.toString()) : Health.down(detail.toString());
    }

    private State current() {
        State current = state;
        if (current == null) {
            throw new IllegalStateException("TLS identity not loaded yet");
        }
        return current;
    }

    // ---- loading; callers hold lock ----

    private void apply() throws GeneralSecurityException {
        TlsSettings s = settings;
        pendingStamps = null;
        failedLoad = Optional.empty();
        if (!s.filesConfigured()) {
            loadedStamps = Map.of();
            List<String> problems = new ArrayList<>();
            TlsIdentity identity = selfSigned(s, problems);
            serve(new State(identity, RestrictedSslContext.create(identity, s.protocols()), s.protocols(), problems));
            LOG.info("TLS uses {} (expires {}); protocols {}", identity.describe(), identity.expiry(), s.protocols());
            return;
        }
        // Stamped before reading: a change during the read is seen by the next poll.
        loadedStamps = stamps(s);
        State previous = state;
        try {
            State loaded = loadConfigured(s);
            serve(loaded);
            LOG.info("TLS certificate {} loaded from {}, expires {}; protocols {}",
                    loaded.identity().subject(), loaded.identity().source(), loaded.identity().expiry(),
                    s.protocols());
            warnIfNotValid(loaded.identity());
        } catch (TlsFileException e) {
            failedLoad = Optional.of(e.getMessage());
            List<String> problems = new ArrayList<>();
            problems.add(e.getMessage());
            // A configured identity that worked beats a self-signed one; otherwise fall back.
            TlsIdentity fallback = previous != null && !previous.identity().selfSigned()
                    ? previous.identity()
                    : selfSigned(s, problems);
            LOG.error("{}; keeping {}", e.getMessage(), fallback.describe());
            LOG.debug("TLS files unusable", e);
            serve(new State(fallback, RestrictedSslContext.create(fallback, s.protocols()), s.protocols(), problems));
        }
    }

    private State loadConfigured(TlsSettings s) throws TlsFileException {
        if (s.certificateFile().isEmpty()) {
            throw new TlsFileException("TLS key.file " + s.keyFile().orElseThrow()
                    + " is set but certificate.file is empty");
        }
        Path certificateFile = s.certificateFile().get();
        Path keyFile = s.effectiveKeyFile().orElseThrow();
        TlsIdentity identity = PemLoader.load(certificateFile, keyFile);
        try {
            return new State(identity, RestrictedSslContext.create(identity, s.protocols()), s.protocols(), List.of());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TlsFileException(PemLoader.CERTIFICATE, certificateFile,
                    "and key " + keyFile + " are refused by Java's TLS: " + e.getMessage());
        }
    }

    private TlsIdentity selfSigned(TlsSettings s, List<String> problems) throws GeneralSecurityException {
        SelfSignedStore store = new SelfSignedStore(s.storageDir(), clock);
        Optional<TlsIdentity> stored = store.load(s.hostname());
        if (stored.isPresent()) {
            return stored.get();
        }
        TlsIdentity made = store.generate(s.hostname());
        try {
            store.save(made);
            LOG.info("TLS made a self-signed certificate for {} (expires {}), stored in {}",
                    s.hostname(), made.expiry(), store.certificateFile());
        } catch (IOException e) {
            String problem = "cannot store the self-signed certificate in " + s.storageDir() + ": " + e
                    + "; it changes at every start";
            LOG.error("TLS {}", problem);
            LOG.debug("Storing the self-signed certificate failed", e);
            problems.add(problem);
        }
        return made;
    }

    private void warnIfNotValid(TlsIdentity identity) {
        Instant now = clock.instant();
        if (now.isAfter(identity.expiry())) {
            LOG.warn("TLS certificate {} from {} expired on {}; clients will refuse it",
                    identity.subject(), identity.source(), identity.expiry());
        } else if (!identity.validAt(now)) {
            LOG.warn("TLS certificate {} from {} is not valid before {}",
                    identity.subject(), identity.source(), identity.leaf().getNotBefore().toInstant());
        }
    }

    // ---- watching ----

    private void startPoller() {
        TlsSettings s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            s = settings;
        }
        if (!s.filesConfigured() || s.reloadInterval().isZero()) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, RELOAD_THREAD);
            thread.setDaemon(true);
            return thread;
        });
        long millis = s.reloadInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void stopPoller() {
        ScheduledExecutorService stopping = poller;
        poller = null;
        if (stopping == null) {
            return;
        }
        // shutdown, not shutdownNow: an interrupt would break a file read half way.
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(10, TimeUnit.SECONDS)) {
                stopping.shutdownNow();
                if (!stopping.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("Thread {} did not stop", RELOAD_THREAD);
                }
            }
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void poll() {
        try {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                Map<Path, FileStamp> now = stamps(settings);
                if (!now.equals(loadedStamps)) {
                    // Wait until the files stay the same for one interval, so that a certificate
                    // and key written one after the other are read together.
                    if (!now.equals(pendingStamps)) {
                        pendingStamps = now;
                        return;
                    }
                    loadedStamps = now;
                    pendingStamps = null;
                    reload(false);
                } else if (failedLoad.isPresent()) {
                    // Unchanged but failing: retry quietly, since chmod or chown leave no stamp.
                    reload(true);
                }
            }
        } catch (RuntimeException e) {
            // Never let an exception cancel the periodic task.
            LOG.error("TLS reload check failed: {}", e.toString());
            LOG.debug("TLS reload check failed", e);
        }
    }

    private void reload(boolean retry) {
        State current = state;
        try {
            State loaded = loadConfigured(settings);
            serve(loaded);
            failedLoad = Optional.empty();
            LOG.info("TLS certificate reloaded from {}: subject {}, expires {}",
                    loaded.identity().source(), loaded.identity().subject(), loaded.identity().expiry());
            warnIfNotValid(loaded.identity());
        } catch (TlsFileException e) {
            boolean repeated = retry && failedLoad.filter(e.getMessage()::equals).isPresent();
            failedLoad = Optional.of(e.getMessage());
            if (repeated) {
                LOG.debug("TLS reload still failing", e);
                return;
            }
            LOG.error("{}; keeping {}", e.getMessage(), current.identity().describe());
            LOG.debug("TLS files unusable", e);
            serve(current.withProblems(List.of(e.getMessage())));
        }
    }

    private static Map<Path, FileStamp> stamps(TlsSettings s) {
        Map<Path, FileStamp> stamps = new LinkedHashMap<>();
        s.certificateFile().ifPresent(file -> stamps.put(file, FileStamp.of(file)));
        s.keyFile().ifPresent(file -> stamps.put(file, FileStamp.of(file)));
        return stamps;
    }

    private static String day(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
