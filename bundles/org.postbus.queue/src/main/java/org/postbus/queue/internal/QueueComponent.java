package org.postbus.queue.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
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
import org.postbus.api.delivery.DeliveryResult;
import org.postbus.api.delivery.DeliveryService;
import org.postbus.api.directory.Directory;
import org.postbus.api.event.DeliveryEvents;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.postbus.api.mail.DsnNotify;
import org.postbus.api.mail.DsnReturn;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.queue.OutboundQueue;
import org.postbus.api.queue.QueueEntry;
import org.postbus.api.store.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbound queue and its delivery agent: messages wait on disk ({@link QueueStore}),
 * a scheduler hands due ones to a pool of delivery threads, each of which routes the pending
 * recipients by domain ({@link MxResolver}) or to the smarthost, speaks SMTP to them
 * ({@link SmtpClient}, connections reused through the {@link ConnectionPool}), and then retries
 * later, notifies the sender ({@link Dsn}) or removes the message.
 *
 * <p>Notifications are queued here, with the null sender, like any other message, so that they
 * are as durable as the message they report on. Those for a local sender (a domain the
 * {@link Directory} holds) are handed to the {@link DeliveryService} when one is present;
 * otherwise they go by MX like the rest.
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
    private static final int DNS_PORT = 53;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    // Both optional and dynamic: the delivery pipeline itself refers to this queue.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile DeliveryService deliveryService;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Directory directory;

    private final Map<String, QueuedMessage> entries = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile QueueStore store;
    private volatile Health failure = Health.down("not started");
    private volatile boolean running;
    private OnFirstUse<MxResolver> resolver;
    private SmtpClient client;
    private ConnectionPool pool;
    private String hostname;
    private List<Duration> schedule;
    private Duration lifetime;
    private Duration delayNotice;
    private boolean delayNoticeUnasked;
    private long dsnReturnMax;
    private int port;
    private Set<String> tlsRequired;
    private Smarthost smarthost;
    /** Null when MTA-STS is off. */
    private Supplier<MtaSts> mtaSts;
    private ExecutorService workers;
    private ScheduledExecutorService ticker;

    /** Where all remote mail goes instead of MX, and how. */
    private record Smarthost(String host, int port, SmtpClient.TlsPolicy policy, boolean implicit, String username,
            String password) {
    }

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
            lifetime = hours(config.max_lifetime_hours());
            delayNotice = hours(config.delay_notice_hours());
            delayNoticeUnasked = config.delay_notice_unasked();
            dsnReturnMax = Math.max(0, config.dsn_return_max_bytes());
            port = config.port();
            tlsRequired = Arrays.stream(config.tls_required_domains().split(","))
                    .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
            smarthost = smarthost(config);
            Duration connect = Duration.ofSeconds(Math.max(1, config.connect_timeout_seconds()));
            Duration command = Duration.ofSeconds(Math.max(1, config.command_timeout_seconds()));
            // Checked now, made at the first delivery: a bad setting still stops the queue at start.
            Optional<InetSocketAddress> dnsServer = dnsServer(config.dns_server());
            Supplier<org.xbill.DNS.Resolver> dns = new OnFirstUse<>(() -> MxResolver.resolver(dnsServer, connect));
            resolver = new OnFirstUse<>(() -> new MxResolver(dns.get()));
            Supplier<SSLContext> verifying = verifying(config.tls_truststore(), config.tls_truststore_password());
            client = new SmtpClient(new SmtpClient.Settings(hostname, (int) connect.toMillis(),
                    (int) command.toMillis(), TlsContexts.opportunistic(), verifying));
            Supplier<HttpClient> http = httpClient(verifying, config.mta_sts_proxy(), connect);
            int stsPort = config.mta_sts_https_port();
            pool = new ConnectionPool(Math.max(0, config.connection_idle_seconds()) * 1000L);
            QueueStore opened = new QueueStore(dir);
            mtaSts = null;
            if (config.mta_sts_enabled()) {
                // Read now, not at the first delivery, so that a damaged file is reported at start.
                MtaStsCache stsCache = new MtaStsCache(dir.resolve(MtaStsCache.FILE_NAME),
                        config.mta_sts_cache_max_entries());
                Map<String, MtaSts.Policy> known = stsCache.load(Instant.now());
                mtaSts = new OnFirstUse<>(() -> new MtaSts(dns.get(), http, stsPort, command, stsCache, known));
            }
            for (QueuedMessage e : opened.load()) {
                entries.put(e.id, e);
            }
            store = opened;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.error("outbound queue not started: {}", e.toString());
            failure = Health.down(String.valueOf(e.getMessage()));
            return;
        }
        LOG.info("outbound queue in {}: {} messages{}", dir, entries.size(),
                smarthost == null ? "" : ", relaying through " + smarthost.host() + ":" + smarthost.port());
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
        // QUIT to idle servers goes out on a delivery thread: a slow one must not hold up dispatch.
        ticker.scheduleWithFixedDelay(() -> {
            try {
                workers.execute(pool::reap);
            } catch (RejectedExecutionException ex) {
                // stopping: deactivate closes the pool
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * The DNS server of a {@code host:port} or {@code host} setting (port 53), checked with
     * {@code java.net} alone (dnsjava is loaded at the first delivery); empty for the system's.
     */
    static Optional<InetSocketAddress> dnsServer(String server) throws UnknownHostException {
        if (server == null || server.isBlank()) {
            return Optional.empty();
        }
        String s = server.strip();
        int colon = s.lastIndexOf(':');
        if (colon > 0 && s.indexOf(':') == colon) {
            return Optional.of(new InetSocketAddress(InetAddress.getByName(s.substring(0, colon)),
                    Integer.parseInt(s.substring(colon + 1))));
        }
        return Optional.of(new InetSocketAddress(InetAddress.getByName(s), DNS_PORT));
    }

    /**
     * The context that verifies servers' certificates. An extra trust store is read now, so that a
     * wrong path or password stops the queue at start as before; the JDK's own trust store alone
     * is read at the first delivery that needs it.
     */
    private static Supplier<SSLContext> verifying(String extraStore, String password)
            throws GeneralSecurityException, IOException {
        if (extraStore != null && !extraStore.isBlank()) {
            SSLContext context = TlsContexts.verifying(extraStore, password);
            return () -> context;
        }
        return new OnFirstUse<>(() -> {
            try {
                return TlsContexts.verifying(extraStore, password);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot read the JDK's trust store: " + e.getMessage(), e);
            }
        });
    }

    /**
     * The policy fetcher's HTTP client, made on first use (most domains publish no policy): the
     * certificate must verify, and redirects are refused (RFC 8461 section 3.3).
     */
    private static Supplier<HttpClient> httpClient(Supplier<SSLContext> verifying, String proxy, Duration connect) {
        HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connect);
        if (proxy != null && !proxy.isBlank()) {
            String p = proxy.strip();
            int colon = p.lastIndexOf(':');
            b.proxy(ProxySelector.of(InetSocketAddress.createUnresolved(p.substring(0, colon),
                    Integer.parseInt(p.substring(colon + 1)))));
        }
        return new Supplier<>() {
            private HttpClient client;

            @Override
            public synchronized HttpClient get() {
                if (client == null) {
                    client = b.sslContext(verifying.get()).build();
                }
                return client;
            }
        };
    }

    private static Smarthost smarthost(QueueConfig config) throws IOException {
        String host = config.relay_host().strip();
        if (host.isEmpty()) {
            return null;
        }
        String tls = config.relay_tls().strip().toLowerCase(Locale.ROOT);
        SmtpClient.TlsPolicy verified = config.relay_tls_verify() ? SmtpClient.TlsPolicy.VERIFIED
                : SmtpClient.TlsPolicy.REQUIRED;
        SmtpClient.TlsPolicy policy;
        boolean implicit;
        switch (tls) {
            case "none" -> {
                policy = SmtpClient.TlsPolicy.NONE;
                implicit = false;
            }
            case "starttls", "" -> {
                policy = verified;
                implicit = false;
            }
            case "implicit" -> {
                policy = verified;
                implicit = true;
            }
            default -> throw new IllegalArgumentException("relay.tls must be none, starttls or implicit: " + tls);
        }
        String password = config.relay_password();
        if (!config.relay_password_file().isBlank()) {
            password = Files.readString(Path.of(config.relay_password_file().strip()), StandardCharsets.UTF_8)
                    .lines().findFirst().orElse("");
        }
        return new Smarthost(host, config.relay_port(), policy, implicit, config.relay_username().strip(), password);
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
        if (pool != null) {
            pool.close();
        }
        entries.clear();
        inFlight.clear();
    }

    // ---- OutboundQueue ----

    @Override
    public String enqueue(Envelope envelope, MessageContent content) throws IOException {
        QueueStore s = requireStore();
        // One copy per address: a recipient named twice is delivered to once.
        Map<MailAddress, EnvelopeRecipient> unique = new LinkedHashMap<>();
        envelope.recipients().forEach(r -> unique.putIfAbsent(r.address(), r));
        String id = newId();
        QueuedMessage e = new QueuedMessage(id, envelope.withRecipients(List.copyOf(unique.values())), Instant.now(),
                content.size());
        s.create(e, content);
        entries.put(id, e);
        post(DeliveryEvents.QUEUED, e, List.copyOf(unique.keySet()), null);
        LOG.debug("queued {} from <{}> to {}", id, e.sender.map(Object::toString).orElse(""), unique.keySet());
        if (running) {
            try {
                ticker.execute(this::dispatch);
            } catch (RejectedExecutionException ex) {
                // stopping: the message is on disk and goes out after the next start
            }
        }
        return id;
    }

    @Override
    public void notifyDelivered(Envelope envelope, List<EnvelopeRecipient> delivered, MessageContent content)
            throws IOException {
        if (envelope.sender().isEmpty()) {
            return;
        }
        List<Dsn.Line> lines = delivered.stream().filter(r -> r.notifyOn().contains(DsnNotify.SUCCESS))
                .map(r -> new Dsn.Line(r.address(), r.originalRecipient(), Dsn.Action.DELIVERED, "2.0.0", "", ""))
                .toList();
        if (lines.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        byte[] dsn = Dsn.build(hostname, envelope.sender().get(),
                new Dsn.Report("local", envelope.envelopeId(), now, Optional.empty(), lines), content, false, now);
        String id = enqueue(Envelope.of(Optional.empty(), List.of(envelope.sender().get())), Contents.of(dsn));
        LOG.info("delivery notice for {} to <{}> queued as {}", lines.stream().map(Dsn.Line::recipient).toList(),
                envelope.sender().get(), id);
    }

    @Override
    public List<QueueEntry> list() {
        return entries.values().stream()
                .sorted(Comparator.comparing((QueuedMessage e) -> e.queued).thenComparing(e -> e.id))
                .map(this::snapshot).toList();
    }

    @Override
    public Optional<QueueEntry> get(String id) {
        return Optional.ofNullable(entries.get(id)).map(this::snapshot);
    }

    @Override
    public boolean retry(String id) {
        QueuedMessage e = entries.get(id);
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
        QueuedMessage e = entries.remove(id);
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
        List<QueuedMessage> due = new ArrayList<>();
        for (QueuedMessage e : entries.values()) {
            synchronized (e) {
                if (!e.nextAttempt.isAfter(now)) {
                    due.add(e);
                }
            }
        }
        // Oldest first, so that a backlog drains in arrival order.
        due.sort(Comparator.comparing((QueuedMessage e) -> e.queued).thenComparing(e -> e.id));
        for (QueuedMessage e : due) {
            if (inFlight.add(e.id)) {
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
                } catch (RejectedExecutionException ex) {
                    inFlight.remove(e.id);
                    return;
                }
            }
        }
    }

    /** What became of the recipients of one attempt. */
    private static final class Outcomes {
        final Map<MailAddress, Optional<Failure>> results = new HashMap<>();
        /** Delivered to a server that does not offer DSN: it will not notify, so we do. */
        final Set<MailAddress> relayedWithoutDsn = new HashSet<>();
        /** Handed to this server's own delivery pipeline, which reports them itself. */
        final Set<MailAddress> local = new HashSet<>();
    }

    /** One delivery attempt of every pending recipient of a message. */
    void attempt(QueuedMessage e) {
        QueueStore s = store;
        if (s == null || entries.get(e.id) != e) {
            return;
        }
        List<QueuedMessage.Recipient> pending;
        synchronized (e) {
            pending = e.pending();
        }
        Map<String, List<EnvelopeRecipient>> byDomain = new LinkedHashMap<>();
        for (QueuedMessage.Recipient r : pending) {
            byDomain.computeIfAbsent(r.address.domain(), d -> new ArrayList<>()).add(r.envelopeRecipient());
        }
        MessageContent content = Contents.of(s.content(e.id));
        Outcomes outcomes = new Outcomes();
        List<EnvelopeRecipient> viaSmarthost = new ArrayList<>();
        for (Map.Entry<String, List<EnvelopeRecipient>> d : byDomain.entrySet()) {
            if (!running) {
                return;
            }
            if (isLocal(d.getKey())) {
                deliverLocally(e, d.getValue(), content, outcomes);
            } else if (smarthost != null) {
                viaSmarthost.addAll(d.getValue());
            } else {
                deliverByMx(d.getKey(), d.getValue(), e, content, outcomes);
            }
        }
        if (!viaSmarthost.isEmpty()) {
            deliverToSmarthost(viaSmarthost, e, content, outcomes);
        }
        record(e, pending, outcomes, s, content);
    }

    private void record(QueuedMessage e, List<QueuedMessage.Recipient> pending, Outcomes outcomes, QueueStore s,
            MessageContent content) {
        Instant now = Instant.now();
        List<MailAddress> delivered = new ArrayList<>();
        List<MailAddress> handedLocally = new ArrayList<>();
        List<QueuedMessage.Recipient> relayed = new ArrayList<>();
        List<QueuedMessage.Recipient> newlyFailed = new ArrayList<>();
        List<QueuedMessage.Recipient> delayed = new ArrayList<>();
        synchronized (e) {
            if (entries.get(e.id) != e) {
                return;
            }
            String lastTemporary = null;
            for (QueuedMessage.Recipient r : pending) {
                Optional<Failure> f = outcomes.results.get(r.address);
                if (f == null) {
                    continue;
                }
                if (f.isEmpty()) {
                    r.state = QueuedMessage.State.DELIVERED;
                    (outcomes.local.contains(r.address) ? handedLocally : delivered).add(r.address);
                    if (outcomes.relayedWithoutDsn.contains(r.address) && r.notifyOn.contains(DsnNotify.SUCCESS)) {
                        relayed.add(r);
                    }
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
                for (QueuedMessage.Recipient r : e.pending()) {
                    r.state = QueuedMessage.State.FAILED;
                    r.status = r.status.startsWith("4.") ? r.status : EXPIRED;
                    r.diagnostic = "delivery time expired after " + e.attempts + " attempts"
                            + (r.diagnostic.isEmpty() ? "" : "; last error: " + r.diagnostic);
                    newlyFailed.add(r);
                }
            } else if (!delayNotice.isZero() && !now.isBefore(e.queued.plus(delayNotice))) {
                for (QueuedMessage.Recipient r : e.pending()) {
                    if (!r.delayNotified && wantsDelayNotice(r)) {
                        r.delayNotified = true;
                        delayed.add(r);
                    }
                }
            }
            if (!newlyFailed.isEmpty()) {
                bounce(e, newlyFailed, content, now);
            }
            if (!delayed.isEmpty()) {
                notice(e, Dsn.Action.DELAYED, delayed, content, now);
            }
            if (!relayed.isEmpty()) {
                notice(e, Dsn.Action.RELAYED, relayed, content, now);
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
        if (!handedLocally.isEmpty()) {
            LOG.info("{} delivered locally to {}", e.id, handedLocally);
        }
    }

    private boolean wantsDelayNotice(QueuedMessage.Recipient r) {
        return r.notifyOn.contains(DsnNotify.DELAY) || r.notifyOn.isEmpty() && delayNoticeUnasked;
    }

    private static void fail(QueuedMessage.Recipient r, Failure f) {
        r.state = QueuedMessage.State.FAILED;
        r.status = f.status();
        r.diagnostic = f.diagnostic();
        r.remoteMta = f.remoteMta();
    }

    private boolean isLocal(String domain) {
        Directory d = directory;
        if (d == null || deliveryService == null) {
            return false;
        }
        try {
            return d.isLocalDomain(domain);
        } catch (RuntimeException ex) {
            LOG.debug("directory cannot say whether {} is local: {}", domain, ex.toString());
            return false;
        }
    }

    /** Hands the recipients of a local domain to this server's delivery pipeline. */
    private void deliverLocally(QueuedMessage e, List<EnvelopeRecipient> rcpts, MessageContent content,
            Outcomes outcomes) {
        DeliveryService service = deliveryService;
        Failure failure;
        if (service == null) {
            failure = Failure.temporary("4.3.0", "451 4.3.0 local delivery is not available");
        } else {
            try {
                DeliveryResult result = service.deliver(new LocalHandOff(e.id,
                        e.envelope().withRecipients(rcpts), hostname, content));
                String reply = result.replyCode() + " " + result.enhancedCode() + " " + result.text();
                failure = switch (result.outcome()) {
                    case ACCEPTED -> null;
                    case REJECTED -> new Failure(true, result.enhancedCode(), reply, hostname);
                    case DEFERRED -> new Failure(false, result.enhancedCode(), reply, hostname);
                };
            } catch (RuntimeException ex) {
                LOG.warn("{}: local delivery failed: {}", e.id, ex.toString());
                failure = Failure.temporary("4.3.0", "451 4.3.0 local delivery failed: " + ex.getMessage());
            }
        }
        Optional<Failure> outcome = Optional.ofNullable(failure);
        rcpts.forEach(r -> outcomes.results.put(r.address(), outcome));
        if (failure == null) {
            rcpts.forEach(r -> outcomes.local.add(r.address()));
        }
    }

    private SmtpClient.Transaction transaction(QueuedMessage e, List<EnvelopeRecipient> rcpts, MessageContent content) {
        return new SmtpClient.Transaction(e.sender, rcpts, content, e.dsnReturn, e.envelopeId, e.requireTls,
                e.smtpUtf8);
    }

    private void deliverToSmarthost(List<EnvelopeRecipient> rcpts, QueuedMessage e, MessageContent content,
            Outcomes outcomes) {
        Smarthost relay = smarthost;
        Failure last = null;
        List<InetAddress> addresses;
        try {
            addresses = List.of(InetAddress.getAllByName(relay.host()));
        } catch (IOException ex) {
            addresses = List.of();
            last = Failure.temporary("4.4.3", "cannot resolve the smarthost " + relay.host() + ": " + ex.getMessage());
        }
        for (InetAddress address : addresses) {
            InetSocketAddress target = new InetSocketAddress(address, relay.port());
            try {
                deliverOver(relay.host(), target, relay.policy(), relay.implicit(), relay, transaction(e, rcpts, content),
                        outcomes);
                return;
            } catch (SmtpClient.HostFailure f) {
                LOG.debug("smarthost {}: {}", relay.host(), f.getMessage());
                last = f.failure;
            } catch (SmtpClient.TlsFailure notOpportunistic) {
                // The smarthost's TLS is never opportunistic: a failed handshake is a HostFailure.
                last = Failure.temporary("4.7.5", "TLS with the smarthost failed: " + notOpportunistic.getMessage());
            }
        }
        Failure failure = last != null ? last : Failure.temporary("4.4.4", "no route to the smarthost");
        rcpts.forEach(r -> outcomes.results.put(r.address(), Optional.of(failure)));
    }

    private void deliverByMx(String domain, List<EnvelopeRecipient> rcpts, QueuedMessage e, MessageContent content,
            Outcomes outcomes) {
        MxResolver.Route route = resolver.get().route(domain);
        Failure last = route.failure();
        // RFC 8689 section 5: TLS-Required: No sets aside the domain's TLS policies (unless REQUIRETLS).
        boolean tlsOptional = !e.requireTls && tlsOptional(content);
        Optional<MtaSts.Policy> sts = route.hosts().isEmpty() || tlsOptional || mtaSts == null ? Optional.empty()
                : mtaSts.get().policy(domain).filter(p -> p.mode() != MtaSts.Mode.NONE);
        SmtpClient.TlsPolicy base = e.requireTls ? SmtpClient.TlsPolicy.VERIFIED
                : !tlsOptional && tlsRequired.contains(domain) ? SmtpClient.TlsPolicy.REQUIRED
                : SmtpClient.TlsPolicy.OPPORTUNISTIC;
        boolean enforce = sts.isPresent() && sts.get().mode() == MtaSts.Mode.ENFORCE;
        boolean testing = sts.isPresent() && sts.get().mode() == MtaSts.Mode.TESTING;
        SmtpClient.Transaction t = transaction(e, rcpts, content);
        for (MxResolver.Host host : route.hosts()) {
            if (sts.isPresent() && !sts.get().matches(host.name())) {
                if (enforce) {
                    last = Failure.temporary("4.7.5", "MTA-STS policy of " + domain + " does not list MX host "
                            + host.name());
                    LOG.warn("{}: {}", e.id, last.diagnostic());
                    continue;
                }
                LOG.warn("{}: MTA-STS (testing) policy of {} does not list MX host {}; delivering anyway", e.id,
                        domain, host.name());
            }
            boolean verify = enforce || testing && sts.get().matches(host.name());
            for (InetAddress address : host.addresses()) {
                InetSocketAddress target = new InetSocketAddress(address, port);
                try {
                    if (verify && base != SmtpClient.TlsPolicy.VERIFIED) {
                        try {
                            deliverOver(host.name(), target, SmtpClient.TlsPolicy.VERIFIED, false, null, t, outcomes);
                            return;
                        } catch (SmtpClient.HostFailure f) {
                            if (enforce || !f.failure.status().startsWith("4.7.")) {
                                throw f;
                            }
                            LOG.warn("{}: MTA-STS (testing) of {}: {}; delivering anyway", e.id, domain,
                                    f.getMessage());
                        }
                    }
                    try {
                        deliverOver(host.name(), target, base, false, null, t, outcomes);
                    } catch (SmtpClient.TlsFailure tls) {
                        // RFC 7435: a failed opportunistic handshake falls back to plain text.
                        LOG.info("STARTTLS with {} failed ({}), retrying without TLS", host.name(), tls.getMessage());
                        deliverOver(host.name(), target, SmtpClient.TlsPolicy.NONE, false, null, t, outcomes);
                    }
                    return;
                } catch (SmtpClient.HostFailure f) {
                    LOG.debug("{}: {}", host.name(), f.getMessage());
                    last = f.failure;
                } catch (SmtpClient.TlsFailure impossible) {
                    last = Failure.temporary("4.7.5", "TLS failed twice with " + host.name());
                }
            }
        }
        Failure failure = last != null ? last : Failure.temporary("4.4.4", "no route to " + domain);
        if (e.requireTls && failure.status().startsWith("4.7.")) {
            // RFC 8689 section 4.2.1: no MX offered verified TLS; waiting will not change that.
            failure = new Failure(true, "5.7.10", "550 5.7.10 REQUIRETLS needed: " + failure.diagnostic(),
                    failure.remoteMta());
        }
        Failure result = failure;
        rcpts.forEach(r -> outcomes.results.put(r.address(), Optional.of(result)));
    }

    /** Whether the header says {@code TLS-Required: No} (RFC 8689 section 5). */
    static boolean tlsOptional(MessageContent content) {
        try {
            return LocalHandOff.header(content, "TLS-Required").stream().anyMatch(v -> v.equalsIgnoreCase("no"));
        } catch (IOException ex) {
            return false;
        }
    }

    /**
     * Sends one transaction to one server, over an idle connection to it when there is one (a
     * connection that went stale meanwhile is replaced by a new one).
     */
    private void deliverOver(String hostName, InetSocketAddress target, SmtpClient.TlsPolicy policy, boolean implicit,
            Smarthost auth, SmtpClient.Transaction t, Outcomes outcomes)
            throws SmtpClient.HostFailure, SmtpClient.TlsFailure {
        String key = hostName + "|" + target + "|" + policy + "|" + implicit + "|"
                + (auth == null ? "" : auth.username());
        SmtpClient.Connection c = pool.take(key);
        if (c != null) {
            try {
                sendOn(c, key, t, outcomes);
                return;
            } catch (SmtpClient.HostFailure f) {
                if (f.failure.permanent()) {
                    throw f;
                }
                LOG.debug("idle connection to {} no longer usable: {}", hostName, f.getMessage());
            }
        }
        c = client.connect(hostName, target, policy, implicit);
        if (auth != null && !auth.username().isEmpty()) {
            try {
                c.authenticate(auth.username(), auth.password());
            } catch (SmtpClient.HostFailure f) {
                c.close();
                throw f;
            }
        }
        sendOn(c, key, t, outcomes);
    }

    private void sendOn(SmtpClient.Connection c, String key, SmtpClient.Transaction t, Outcomes outcomes)
            throws SmtpClient.HostFailure {
        Map<MailAddress, Optional<Failure>> results;
        try {
            results = c.send(t);
        } catch (SmtpClient.HostFailure f) {
            pool.give(key, c);
            throw f;
        }
        outcomes.results.putAll(results);
        if (!c.advertises("DSN")) {
            results.forEach((a, f) -> {
                if (f.isEmpty()) {
                    outcomes.relayedWithoutDsn.add(a);
                }
            });
        }
        pool.give(key, c);
    }

    private void bounce(QueuedMessage e, List<QueuedMessage.Recipient> failed, MessageContent content, Instant now) {
        List<MailAddress> addresses = failed.stream().map(r -> r.address).toList();
        String reason = failed.get(0).diagnostic;
        post(DeliveryEvents.BOUNCED, e, addresses, reason);
        List<QueuedMessage.Recipient> wanted = failed.stream()
                .filter(r -> r.envelopeRecipient().wants(DsnNotify.FAILURE)).toList();
        if (e.sender.isEmpty()) {
            LOG.warn("{}: bounce to <> for {} discarded: {}", e.id, addresses, reason);
            return;
        }
        if (wanted.isEmpty()) {
            LOG.info("{}: failed for {} ({}); no bounce, as NOTIFY asked", e.id, addresses, reason);
            return;
        }
        notice(e, Dsn.Action.FAILED, wanted, content, now);
    }

    /** Queues a notification to the sender about these recipients; never for the null sender. */
    private void notice(QueuedMessage e, Dsn.Action action, List<QueuedMessage.Recipient> about, MessageContent content,
            Instant now) {
        if (e.sender.isEmpty()) {
            return;
        }
        MailAddress to = e.sender.get();
        List<Dsn.Line> lines = about.stream().map(r -> new Dsn.Line(r.address, r.originalRecipient, action,
                action == Dsn.Action.RELAYED ? "2.0.0" : r.status,
                action == Dsn.Action.RELAYED ? "" : r.diagnostic, r.remoteMta)).toList();
        boolean full = action == Dsn.Action.FAILED && e.dsnReturn.orElse(DsnReturn.FULL) == DsnReturn.FULL
                && e.size <= dsnReturnMax;
        Optional<Instant> until = action == Dsn.Action.DELAYED ? Optional.of(e.queued.plus(lifetime)) : Optional.empty();
        try {
            byte[] dsn = Dsn.build(hostname, to, new Dsn.Report(e.id, e.envelopeId, e.queued, until, lines), content,
                    full, now);
            String id = enqueue(Envelope.of(Optional.empty(), List.of(to)), Contents.of(dsn));
            LOG.info("{}: {} notice for {} to <{}> queued as {}", e.id, action.field,
                    about.stream().map(r -> r.address).toList(), to, id);
        } catch (IOException ex) {
            LOG.error("{}: cannot queue the {} notice for {}: {}", e.id, action.field,
                    about.stream().map(r -> r.address).toList(), ex.toString());
        }
    }

    private Duration delay(int attempts) {
        return schedule.get(Math.min(Math.max(attempts, 1), schedule.size()) - 1);
    }

    private QueueEntry snapshot(QueuedMessage e) {
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

    private void post(String topic, QueuedMessage e, List<MailAddress> recipients, String reason) {
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

    private static Duration hours(double h) {
        return Duration.ofMillis((long) (Math.max(0, h) * 3_600_000d));
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

    /** For tests: how many connections wait in the pool. */
    int idleConnections() {
        return pool.idleCount();
    }

    /** For tests: whether the DNS resolver has been made. */
    boolean resolverMade() {
        return resolver != null && resolver.made();
    }
}
