package org.postbus.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.postbus.api.event.DeliveryEvents;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.queue.OutboundQueue;
import org.postbus.api.queue.QueueEntry;
import org.postbus.api.store.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbound queue and its delivery agent: messages wait on disk ({@link QueueStore}),
 * a scheduler hands due ones to a pool of delivery threads, each of which routes the pending
 * recipients by domain ({@link MxResolver}), speaks SMTP to the MX hosts ({@link SmtpClient}),
 * and then retries later, bounces ({@link Dsn}) or removes the message.
 *
 * <p>Bounces are queued here, with the null sender, like any other message: for a local sender
 * they reach this server's own MX by SMTP. That keeps a bounce as durable as the message it
 * replaces without a dependency on the delivery pipeline (which itself uses this queue).
 */
@Component(name = QueueComponent.PID, configurationPid = QueueComponent.PID,
        service = {OutboundQueue.class, HealthCheck.class}, property = HealthCheck.NAME + "=queue",
        immediate = true)
@Designate(ocd = QueueConfig.class)
public class QueueComponent implements OutboundQueue, HealthCheck {

    /** Component name and configuration PID. */
    static final String PID = "org.postbus.queue";
    /** Framework property naming the server's data folder. */
    static final String DATA_PROPERTY = "postbus.data";
    /** Status for recipients still pending when the lifetime ends (RFC 3463). */
    static final String EXPIRED = "4.4.7";

    private static final Logger LOG = LoggerFactory.getLogger(QueueComponent.class);
    private static final long TICK_MILLIS = 200;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    private final Map<String, Envelope> entries = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile QueueStore store;
    private volatile Health failure = Health.down("not started");
    private volatile boolean running;
    private MxResolver resolver;
    private SmtpClient client;
    private String hostname;
    private List<Duration> schedule;
    private Duration lifetime;
    private int port;
    private Set<String> tlsRequired;
    private ExecutorService workers;
    private ScheduledExecutorService ticker;

    @Activate
    void activate(BundleContext context, QueueConfig config) {
        start(storageDir(config.storage_dir(), context.getProperty(DATA_PROPERTY)), config);
    }

    /** Opens the queue in {@code dir} and starts delivering; used by tests without a framework. */
    void start(Path dir, QueueConfig config) {
        try {
            hostname = config.hostname().isBlank() ? InetAddress.getLocalHost().getCanonicalHostName()
                    : config.hostname().strip();
            schedule = schedule(config.retry_schedule_minutes());
            lifetime = Duration.ofMillis((long) (config.max_lifetime_hours() * 3_600_000d));
            port = config.port();
            tlsRequired = Arrays.stream(config.tls_required_domains().split(","))
                    .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
            Duration connect = Duration.ofSeconds(Math.max(1, config.connect_timeout_seconds()));
            Duration command = Duration.ofSeconds(Math.max(1, config.command_timeout_seconds()));
            resolver = new MxResolver(MxResolver.resolver(config.dns_server(), connect));
            client = new SmtpClient(new SmtpClient.Settings(hostname, (int) connect.toMillis(),
                    (int) command.toMillis(), OpportunisticTls.context()));
            QueueStore opened = new QueueStore(dir);
            for (Envelope e : opened.load()) {
                entries.put(e.id, e);
            }
            store = opened;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.error("outbound queue not started: {}", e.toString());
            failure = Health.down(String.valueOf(e.getMessage()));
            return;
        }
        LOG.info("outbound queue in {}: {} messages", dir, entries.size());
        running = true;
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(Math.max(1, config.concurrency()), r -> {
            Thread t = new Thread(r, "postbus-queue-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "postbus-queue-scheduler");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::dispatch, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        running = false;
        store = null;
        failure = Health.down("stopped");
        for (ExecutorService e : new ExecutorService[] {ticker, workers}) {
            if (e != null) {
                e.shutdownNow();
            }
        }
        try {
            // A delivery in progress ends by the command timeout at worst; its state is on disk.
            if (workers != null && !workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("outbound deliveries still running after stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        entries.clear();
        inFlight.clear();
    }

    // ---- OutboundQueue ----

    @Override
    public String enqueue(Optional<MailAddress> sender, List<MailAddress> recipients, MessageContent content)
            throws IOException {
        QueueStore s = requireStore();
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
        String id = newId();
        List<Envelope.Recipient> rcpts = new ArrayList<>();
        for (MailAddress a : new java.util.LinkedHashSet<>(recipients)) {
            rcpts.add(new Envelope.Recipient(a));
        }
        Envelope e = new Envelope(id, sender, Instant.now(), content.size(), rcpts);
        s.create(e, content);
        entries.put(id, e);
        post(DeliveryEvents.QUEUED, e, recipients, null);
        LOG.debug("queued {} from <{}> to {}", id, sender.map(Object::toString).orElse(""), recipients);
        if (running) {
            ticker.execute(this::dispatch);
        }
        return id;
    }

    @Override
    public List<QueueEntry> list() {
        return entries.values().stream().sorted(Comparator.comparing((Envelope e) -> e.queued).thenComparing(e -> e.id))
                .map(this::snapshot).toList();
    }

    @Override
    public Optional<QueueEntry> get(String id) {
        return Optional.ofNullable(entries.get(id)).map(this::snapshot);
    }

    @Override
    public boolean retry(String id) {
        Envelope e = entries.get(id);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            e.nextAttempt = Instant.now();
        }
        if (running) {
            ticker.execute(this::dispatch);
        }
        return true;
    }

    @Override
    public boolean delete(String id) throws IOException {
        Envelope e = entries.remove(id);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            QueueStore s = store;
            if (s != null) {
                s.remove(id);
            }
        }
        LOG.info("deleted {} from the queue", id);
        return true;
    }

    @Override
    public Health check() {
        if (store == null) {
            return failure;
        }
        long deferred = entries.values().stream().filter(e -> e.attempts > 0).count();
        return Health.up(entries.size() + " queued, " + deferred + " deferred, " + inFlight.size() + " in delivery");
    }

    // ---- delivery ----

    private void dispatch() {
        if (!running) {
            return;
        }
        Instant now = Instant.now();
        for (Envelope e : entries.values()) {
            boolean due;
            synchronized (e) {
                due = !e.nextAttempt.isAfter(now);
            }
            if (due && inFlight.add(e.id)) {
                try {
                    workers.execute(() -> {
                        try {
                            attempt(e);
                        } catch (RuntimeException ex) {
                            LOG.error("delivery of {} failed unexpectedly", e.id, ex);
                        } finally {
                            inFlight.remove(e.id);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException ex) {
                    inFlight.remove(e.id);
                    return;
                }
            }
        }
    }

    /** One delivery attempt of every pending recipient of a message. */
    void attempt(Envelope e) {
        QueueStore s = store;
        if (s == null || entries.get(e.id) != e) {
            return;
        }
        List<Envelope.Recipient> pending;
        synchronized (e) {
            pending = e.pending();
        }
        Map<String, List<MailAddress>> byDomain = new LinkedHashMap<>();
        for (Envelope.Recipient r : pending) {
            byDomain.computeIfAbsent(r.address.domain(), d -> new ArrayList<>()).add(r.address);
        }
        Map<MailAddress, Optional<Failure>> results = new HashMap<>();
        MessageContent content = Contents.of(s.content(e.id));
        for (Map.Entry<String, List<MailAddress>> d : byDomain.entrySet()) {
            if (!running) {
                return;
            }
            results.putAll(deliverDomain(d.getKey(), d.getValue(), e.sender, content));
        }
        Instant now = Instant.now();
        List<MailAddress> delivered = new ArrayList<>();
        List<Envelope.Recipient> newlyFailed = new ArrayList<>();
        synchronized (e) {
            if (entries.get(e.id) != e) {
                return;
            }
            String lastTemporary = null;
            for (Envelope.Recipient r : pending) {
                Optional<Failure> f = results.get(r.address);
                if (f == null) {
                    continue;
                }
                if (f.isEmpty()) {
                    r.state = Envelope.State.DELIVERED;
                    delivered.add(r.address);
                } else if (f.get().permanent()) {
                    fail(r, f.get());
                    newlyFailed.add(r);
                } else {
                    lastTemporary = f.get().diagnostic();
                    r.status = f.get().status();
                    r.diagnostic = f.get().diagnostic();
                    r.remoteMta = f.get().remoteMta();
                }
            }
            e.attempts++;
            if (lastTemporary != null) {
                e.lastError = Optional.of(lastTemporary);
            }
            boolean expired = !now.isBefore(e.queued.plus(lifetime));
            if (expired) {
                for (Envelope.Recipient r : e.pending()) {
                    r.state = Envelope.State.FAILED;
                    r.status = r.status.startsWith("4.") ? r.status : EXPIRED;
                    r.diagnostic = "delivery time expired after " + e.attempts + " attempts"
                            + (r.diagnostic.isEmpty() ? "" : "; last error: " + r.diagnostic);
                    newlyFailed.add(r);
                }
            }
            if (!newlyFailed.isEmpty()) {
                bounce(e, newlyFailed, s, now);
            }
            try {
                if (e.pending().isEmpty()) {
                    entries.remove(e.id);
                    s.remove(e.id);
                } else {
                    e.nextAttempt = now.plus(delay(e.attempts));
                    s.update(e);
                }
            } catch (IOException ex) {
                LOG.error("cannot record the state of {}: {}", e.id, ex.toString());
            }
        }
        if (!delivered.isEmpty()) {
            LOG.info("{} relayed to {}", e.id, delivered);
            post(DeliveryEvents.RELAYED, e, delivered, null);
        }
    }

    private static void fail(Envelope.Recipient r, Failure f) {
        r.state = Envelope.State.FAILED;
        r.status = f.status();
        r.diagnostic = f.diagnostic();
        r.remoteMta = f.remoteMta();
    }

    private Map<MailAddress, Optional<Failure>> deliverDomain(String domain, List<MailAddress> rcpts,
            Optional<MailAddress> sender, MessageContent content) {
        MxResolver.Route route = resolver.route(domain);
        Failure last = route.failure();
        boolean required = tlsRequired.contains(domain);
        for (MxResolver.Host host : route.hosts()) {
            for (InetAddress address : host.addresses()) {
                InetSocketAddress target = new InetSocketAddress(address, port);
                try {
                    try {
                        return client.send(host.name(), target, required, false, sender, rcpts, content);
                    } catch (SmtpClient.TlsFailure tls) {
                        // RFC 7435: a failed opportunistic handshake falls back to plain text.
                        LOG.info("STARTTLS with {} failed ({}), retrying without TLS", host.name(), tls.getMessage());
                        return client.send(host.name(), target, required, true, sender, rcpts, content);
                    }
                } catch (SmtpClient.HostFailure f) {
                    LOG.debug("{}: {}", host.name(), f.getMessage());
                    last = f.failure;
                } catch (SmtpClient.TlsFailure impossible) {
                    last = Failure.temporary("4.7.5", "TLS failed twice with " + host.name());
                }
            }
        }
        Failure failure = last != null ? last : Failure.temporary("4.4.4", "no route to " + domain);
        Map<MailAddress, Optional<Failure>> results = new LinkedHashMap<>();
        rcpts.forEach(r -> results.put(r, Optional.of(failure)));
        return results;
    }

    private void bounce(Envelope e, List<Envelope.Recipient> failed, QueueStore s, Instant now) {
        List<MailAddress> addresses = failed.stream().map(r -> r.address).toList();
        String reason = failed.get(0).diagnostic;
        post(DeliveryEvents.BOUNCED, e, addresses, reason);
        if (e.sender.isEmpty()) {
            LOG.warn("{}: bounce to <> for {} discarded: {}", e.id, addresses, reason);
            return;
        }
        try (InputStream original = Contents.of(s.content(e.id)).open()) {
            byte[] dsn = Dsn.build(hostname, e, e.sender.get(), failed, original, now);
            String id = enqueue(Optional.empty(), List.of(e.sender.get()), Contents.of(dsn));
            LOG.info("{}: bounced {} to <{}> as {}", e.id, addresses, e.sender.get(), id);
        } catch (IOException ex) {
            LOG.error("{}: cannot queue the bounce for {}: {}", e.id, addresses, ex.toString());
        }
    }

    private Duration delay(int attempts) {
        return schedule.get(Math.min(Math.max(attempts, 1), schedule.size()) - 1);
    }

    private QueueEntry snapshot(Envelope e) {
        synchronized (e) {
            return e.entry();
        }
    }

    private QueueStore requireStore() throws IOException {
        QueueStore s = store;
        if (s == null) {
            throw new IOException("the outbound queue is not running: " + failure.detail());
        }
        return s;
    }

    private void post(String topic, Envelope e, List<MailAddress> recipients, String reason) {
        EventAdmin admin = eventAdmin;
        if (admin == null) {
            return;
        }
        Map<String, Object> p = new HashMap<>();
        p.put(DeliveryEvents.ID, e.id);
        p.put(DeliveryEvents.SENDER, e.sender.map(MailAddress::toString).orElse(""));
        p.put(DeliveryEvents.RECIPIENTS, recipients.stream().map(MailAddress::toString).toArray(String[]::new));
        p.put(DeliveryEvents.SIZE, e.size);
        if (reason != null) {
            p.put(DeliveryEvents.REASON, reason);
        }
        admin.postEvent(new Event(topic, p));
    }

    /** Time-ordered, unique and safe as a folder name. */
    private static String newId() {
        return String.format("%013x", System.currentTimeMillis()) + UUID.randomUUID().toString().substring(0, 8);
    }

    static List<Duration> schedule(String minutes) {
        List<Duration> result = new ArrayList<>();
        for (String part : minutes.split(",")) {
            if (!part.isBlank()) {
                double m = Double.parseDouble(part.strip());
                result.add(Duration.ofMillis(Math.max(1, (long) (m * 60_000d))));
            }
        }
        if (result.isEmpty()) {
            result.add(Duration.ofMinutes(15));
        }
        return List.copyOf(result);
    }

    /** The storage folder: configured, else under the data folder, else {@code ./data/queue}. */
    static Path storageDir(String configured, String dataFolder) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        if (dataFolder != null && !dataFolder.isBlank()) {
            return Path.of(dataFolder.strip(), "queue");
        }
        return Path.of("data", "queue");
    }

    /** For tests: whether a message folder exists on disk. */
    boolean onDisk(String id) {
        QueueStore s = store;
        return s != null && Files.isDirectory(s.root().resolve(id));
    }
}
