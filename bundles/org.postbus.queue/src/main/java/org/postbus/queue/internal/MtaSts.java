package org.postbus.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * SMTP MTA Strict Transport Security (RFC 8461), as a sending MTA: the TXT record
 * {@code _mta-sts.<domain>} says a policy exists and names its version ({@code id}); the policy
 * itself comes over HTTPS (certificate verified, redirects refused) from
 * {@code mta-sts.<domain>/.well-known/mta-sts.txt} and is cached for its {@code max_age}, fetched
 * again when the TXT id changes. The cache is kept on disk too ({@link MtaStsCache}), so that a
 * policy still protects the first delivery after a restart (RFC 8461 sections 5.1 and 10.2).
 */
final class MtaSts {

    /** What a policy asks of senders. */
    enum Mode { ENFORCE, TESTING, NONE }

    /**
     * A policy in force.
     *
     * @param id the TXT record's id it was fetched for
     * @param mx the MX patterns, lower case ({@code mail.example.org} or {@code *.example.org})
     * @param fetched when it was fetched
     * @param expires when the cached copy lapses (fetch time plus max_age)
     */
    record Policy(String id, Mode mode, List<String> mx, Instant fetched, Instant expires) {

        /** Whether an MX host name matches one of the patterns (RFC 8461 section 4.1). */
        boolean matches(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            if (h.endsWith(".")) {
                h = h.substring(0, h.length() - 1);
            }
            for (String p : mx) {
                if (p.startsWith("*.")) {
                    int dot = h.indexOf('.');
                    // The wildcard stands for exactly one leftmost label.
                    if (dot > 0 && h.substring(dot + 1).equals(p.substring(2))) {
                        return true;
                    }
                } else if (h.equals(p)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(MtaSts.class);
    /** RFC 8461 section 3.2: max_age is at most a year. */
    private static final long MAX_AGE_LIMIT = 31_557_600;
    /** RFC 8461 section 3.3: senders may cap the policy body at 64 KiB. */
    private static final int MAX_BODY = 64 * 1024;

    private final Resolver resolver;
    private final Cache dnsCache = new Cache(DClass.IN);
    private final Supplier<HttpClient> http;
    private final int httpsPort;
    private final Duration timeout;
    private final Map<String, Policy> policies = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final MtaStsCache disk;

    /**
     * @param disk where policies are kept across restarts
     * @param loaded the policies {@code disk} held at start
     */
    MtaSts(Resolver resolver, Supplier<HttpClient> http, int httpsPort, Duration timeout, MtaStsCache disk,
            Map<String, Policy> loaded) {
        this.resolver = resolver;
        this.http = http;
        this.httpsPort = httpsPort;
        this.timeout = timeout;
        this.disk = disk;
        policies.putAll(loaded);
    }

    /** The policy of a domain, if it publishes one (blocking: DNS and perhaps HTTPS). */
    Optional<Policy> policy(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        synchronized (locks.computeIfAbsent(d, k -> new Object())) {
            Instant now = Instant.now();
            Policy cached = policies.get(d);
            if (cached != null && !now.isBefore(cached.expires())) {
                policies.remove(d);
                cached = null;
                // Not written now: the file is replaced at the next fetch, and load drops what expired.
            }
            Optional<String> id = txtId(d);
            if (id.isEmpty() || cached != null && cached.id().equals(id.get())) {
                // Section 5.1: without a TXT record a cached, unexpired policy still holds.
                return Optional.ofNullable(cached);
            }
            try {
                Policy fetched = fetch(d, id.get(), now);
                policies.put(d, fetched);
                LOG.info("MTA-STS policy of {} (id {}): {} for {}", d, fetched.id(), fetched.mode(), fetched.mx());
                persist();
                return Optional.of(fetched);
            } catch (IOException | RuntimeException e) {
                // Section 5.1: a failed refresh leaves the cached policy in force; none: no policy.
                LOG.warn("MTA-STS policy of {} not fetched: {}", d, e.getMessage());
                return Optional.ofNullable(cached);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.ofNullable(cached);
            }
        }
    }

    private Optional<String> txtId(String domain) {
        Lookup l;
        try {
            l = new Lookup(Name.fromString("_mta-sts." + domain, Name.root), Type.TXT, DClass.IN);
        } catch (TextParseException e) {
            return Optional.empty();
        }
        l.setResolver(resolver);
        l.setCache(dnsCache);
        l.setHostsFileParser(null);
        Record[] records = l.run();
        if (records == null) {
            return Optional.empty();
        }
        List<String> ids = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof TXTRecord txt) {
                String text = String.join("", txt.getStrings()).strip();
                if (text.startsWith("v=STSv1;") || text.equals("v=STSv1")) {
                    ids.add(field(text, "id"));
                }
            }
        }
        // Section 3.1: more than one STSv1 record (or one without an id) is as good as none.
        if (ids.size() != 1 || ids.get(0) == null || ids.get(0).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ids.get(0));
    }

    private static String field(String record, String key) {
        for (String part : record.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equals(key)) {
                return part.substring(eq + 1).strip();
            }
        }
        return null;
    }

    private Policy fetch(String domain, String id, Instant now) throws IOException, InterruptedException {
        URI uri = URI.create("https://mta-sts." + domain + (httpsPort == 443 ? "" : ":" + httpsPort)
                + "/.well-known/mta-sts.txt");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response = http.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered HTTP " + response.statusCode());
            }
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IOException("policy larger than " + MAX_BODY + " bytes");
            }
            return parse(new String(body, StandardCharsets.UTF_8), id, now);
        }
    }

    /** Parses a policy body (RFC 8461 section 3.2); unknown keys are ignored. */
    static Policy parse(String body, String id, Instant now) throws IOException {
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String line : body.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = value;
                case "mode" -> {
                    try {
                        mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IOException("unknown mode " + value);
                    }
                }
                case "max_age" -> {
                    try {
                        maxAge = Math.min(MAX_AGE_LIMIT, Long.parseLong(value));
                    } catch (NumberFormatException e) {
                        throw new IOException("bad max_age " + value);
                    }
                }
                case "mx" -> mx.add(value.toLowerCase(Locale.ROOT));
                default -> {
                    // extensions: ignored
                }
            }
        }
        if (!"STSv1".equals(version) || mode == null || maxAge == null || maxAge < 0) {
            throw new IOException("not an STSv1 policy with mode and max_age");
        }
        if (mode != Mode.NONE && mx.isEmpty()) {
            throw new IOException("policy without mx patterns");
        }
        return new Policy(id, mode, List.copyOf(mx), now, now.plusSeconds(maxAge));
    }

    /** The policies cached now, for tests. */
    Map<String, Policy> cached() {
        return Map.copyOf(policies);
    }

    /**
     * Bounds the cache and writes it out. A failed write costs a fetch after the next restart, so
     * it is logged and delivery goes on with the policy in memory.
     */
    private void persist() {
        synchronized (disk) {
            Map<String, Policy> before = new HashMap<>(policies);
            Map<String, Policy> snapshot = new HashMap<>(before);
            Instant now = Instant.now();
            snapshot.values().removeIf(p -> !now.isBefore(p.expires()));
            disk.trim(snapshot);
            // Only what was dropped here goes: another domain may have been fetched meanwhile.
            before.forEach((domain, p) -> {
                if (!snapshot.containsKey(domain)) {
                    policies.remove(domain, p);
                }
            });
            try {
                disk.save(snapshot);
            } catch (IOException | RuntimeException e) {
                LOG.warn("MTA-STS cache {} not written: {}", disk.file(), e.toString());
            }
        }
    }
}
