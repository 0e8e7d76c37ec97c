package org.postbus.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.MailAddress;
import org.postbus.testkit.LogCapture;

/** MTA-STS (RFC 8461) with a real HTTPS policy server and the in-test DNS. */
class MtaStsTest extends QueueTestBase {

    private static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx.remote.test\r\nmax_age: 86400\r\n";

    private TestCertificates cert;
    private TestPolicyServer policies;
    private Map<String, Object> config;

    @BeforeEach
    void policyServer() throws Exception {
        cert = new TestCertificates("mx.remote.test", "mta-sts.remote.test");
        policies = new TestPolicyServer(cert.serverContext);
        config = new HashMap<>();
        config.put("tls_truststore", cert.trustStore(dir).toString());
        config.put("tls_truststore_password", "test");
        config.put("mta_sts_https_port", policies.httpsPort());
        config.put("mta_sts_proxy", policies.proxy());
        config.put("retry_schedule_minutes", "60");
        dns.txt("_mta-sts.remote.test", "v=STSv1; id=20261128T01");
    }

    @AfterEach
    void stopPolicyServer() throws Exception {
        policies.close();
    }

    private String send(String extraHeaders) throws Exception {
        return queue.enqueue(Optional.of(SENDER), List.of(MailAddress.parse("bob@remote.test")),
                Contents.of(message(extraHeaders, "x\r\n")));
    }

    @Test
    void enforceDeliversOverVerifiedTlsToAListedMx() throws Exception {
        policies.policy = ENFORCE;
        smtp.tls = cert.serverContext;
        queue = start(config);
        send("");
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertTrue(r.tls());
        assertEquals(1, policies.fetches.get());
        assertEquals(List.of("mta-sts.remote.test:" + policies.httpsPort()), policies.tunnels);
    }

    @Test
    void enforceDefersWhenTheMxOffersNoTls() throws Exception {
        policies.policy = ENFORCE;
        queue = start(config);
        String id = send("");
        await(() -> queue.get(id).map(e -> e.attempts() == 1).orElse(false));
        assertTrue(queue.get(id).orElseThrow().lastError().orElseThrow().contains("STARTTLS"),
                queue.get(id).toString());
        assertNull(smtp.received.poll());
    }

    @Test
    void enforceDefersWhenTheMxCertificateIsNotTrusted() throws Exception {
        policies.policy = ENFORCE;
        smtp.tls = new TestCertificates("mx.remote.test").serverContext;
        queue = start(config);
        String id = send("");
        await(() -> queue.get(id).map(e -> e.attempts() == 1).orElse(false));
        assertTrue(queue.get(id).orElseThrow().lastError().orElseThrow().contains("TLS handshake"),
                queue.get(id).toString());
        assertNull(smtp.received.poll());
    }

    @Test
    void enforceDefersWhenNoMxHostIsListed() throws Exception {
        policies.policy = ENFORCE.replace("mx: mx.remote.test", "mx: *.elsewhere.test");
        smtp.tls = cert.serverContext;
        queue = start(config);
        String id = send("");
        await(() -> queue.get(id).map(e -> e.attempts() == 1).orElse(false));
        assertTrue(queue.get(id).orElseThrow().lastError().orElseThrow().contains("does not list MX host"),
                queue.get(id).toString());
        assertEquals(0, smtp.sessions.get(), "no connection to an MX outside the policy");
    }

    @Test
    void testingModeDeliversAnywayWithoutTls() throws Exception {
        policies.policy = ENFORCE.replace("enforce", "testing");
        queue = start(config);
        send("");
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertFalse(r.tls());
    }

    @Test
    void tlsRequiredNoSetsThePolicyAside() throws Exception {
        policies.policy = ENFORCE;
        queue = start(config);
        send("TLS-Required: No\r\n");
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertFalse(r.tls());
        assertEquals(0, policies.fetches.get(), "not even fetched");
    }

    @Test
    void thePolicyIsCachedAndFetchedAgainWhenTheIdChanges() throws Exception {
        policies.policy = ENFORCE;
        smtp.tls = cert.serverContext;
        queue = start(config);
        send("");
        assertNotNull(smtp.next());
        send("");
        assertNotNull(smtp.next());
        assertEquals(1, policies.fetches.get(), "cached for max_age");
        // A new id: the new policy says none, and the now plain-text MX is fine.
        policies.policy = ENFORCE.replace("enforce", "none");
        dns.clear("_mta-sts.remote.test");
        dns.txt("_mta-sts.remote.test", "v=STSv1; id=20261128T02");
        smtp.tls = null;
        send("");
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertFalse(r.tls());
        assertEquals(2, policies.fetches.get());
    }

    private Path cacheFile() {
        return dir.resolve("queue").resolve(MtaStsCache.FILE_NAME);
    }

    /** Writes a cache file before the queue starts, as a previous run would have left it. */
    private void previousRun(int maxEntries, Map<String, MtaSts.Policy> policies) throws IOException {
        Files.createDirectories(cacheFile().getParent());
        new MtaStsCache(cacheFile(), maxEntries).save(policies);
    }

    private static MtaSts.Policy enforcing(String id, Instant fetched, Instant expires) {
        return new MtaSts.Policy(id, MtaSts.Mode.ENFORCE, List.of("mx.remote.test"), fetched, expires);
    }

    @Test
    void aCachedPolicyStillAppliesAfterARestartWithoutAFetch() throws Exception {
        policies.policy = ENFORCE;
        smtp.tls = cert.serverContext;
        queue = start(config);
        send("");
        assertTrue(smtp.next().tls());
        assertEquals(1, policies.fetches.get());
        queue.deactivate();

        // Same folder, a new component; the MX now offers no STARTTLS, so only the policy defers.
        smtp.tls = null;
        queue = start(config);
        String id = send("");
        await(() -> queue.get(id).map(e -> e.attempts() == 1).orElse(false));
        assertTrue(queue.get(id).orElseThrow().lastError().orElseThrow().contains("STARTTLS"),
                queue.get(id).toString());
        assertNull(smtp.received.poll());
        assertEquals(1, policies.fetches.get(), "enforced from the cache on disk, not fetched again");
    }

    @Test
    void theCachedIdAndFetchTimeSurviveARestartSoANewIdIsFetched() throws Exception {
        Instant fetched = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);
        previousRun(10, Map.of("remote.test", enforcing("20261128T01", fetched, fetched.plusSeconds(86400))));
        policies.policy = ENFORCE.replace("enforce", "none");
        dns.clear("_mta-sts.remote.test");
        dns.txt("_mta-sts.remote.test", "v=STSv1; id=20261128T02");
        queue = start(config);
        send("");
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r);
        assertFalse(r.tls(), "the new id's policy (none) replaced the cached enforce one");
        assertEquals(1, policies.fetches.get());
        MtaSts.Policy stored = new MtaStsCache(cacheFile(), 10).load(Instant.now()).get("remote.test");
        assertEquals("20261128T02", stored.id());
        assertEquals(MtaSts.Mode.NONE, stored.mode());
        assertTrue(stored.fetched().isAfter(fetched), stored.toString());
    }

    @Test
    void anExpiredCachedPolicyIsDroppedAtStartAndFetchedAgain() throws Exception {
        Instant fetched = Instant.now().minusSeconds(7200);
        // Same id as the TXT record: were it kept, it would not be fetched again.
        previousRun(10, Map.of("remote.test", enforcing("20261128T01", fetched, fetched.plusSeconds(3600))));
        policies.policy = ENFORCE.replace("enforce", "testing");
        queue = start(config);
        send("");
        assertFalse(smtp.next().tls());
        assertEquals(1, policies.fetches.get());
        assertEquals(MtaSts.Mode.TESTING,
                new MtaStsCache(cacheFile(), 10).load(Instant.now()).get("remote.test").mode());
    }

    @Test
    void aDamagedCacheFileIsIgnoredWithAWarning() throws Exception {
        Files.createDirectories(cacheFile().getParent());
        // Cut short in the middle of a line, as a full disk might leave it.
        Files.writeString(cacheFile(), "# postbus mta-sts cache v1\nremote.test\t20261128T01\tENFOR");
        policies.policy = ENFORCE;
        smtp.tls = cert.serverContext;
        try (LogCapture log = new LogCapture()) {
            queue = start(config);
            assertTrue(queue.check().up(), queue.check().toString());
            send("");
            assertTrue(smtp.next().tls());
            List<String> warnings = log.lines("WARN").stream().filter(l -> l.contains("MTA-STS cache")).toList();
            assertEquals(1, warnings.size(), String.join("\n", log.lines()));
            assertTrue(warnings.get(0).contains("damaged and ignored"), warnings.get(0));
        }
        assertEquals(1, policies.fetches.get());
        // The fetch replaced the damaged file with a readable one.
        assertEquals("20261128T01", new MtaStsCache(cacheFile(), 10).load(Instant.now()).get("remote.test").id());
    }

    @Test
    void theCacheKeepsAtMostTheConfiguredNumberOfDomainsDroppingTheSoonestExpiring() throws Exception {
        Instant now = Instant.now();
        Map<String, MtaSts.Policy> earlier = new HashMap<>();
        earlier.put("soon.test", enforcing("a", now, now.plusSeconds(3600)));
        earlier.put("later.test", enforcing("b", now, now.plusSeconds(7200)));
        previousRun(10, earlier);
        policies.policy = ENFORCE;
        smtp.tls = cert.serverContext;
        config.put("mta_sts_cache_max_entries", 2);
        queue = start(config);
        send("");
        assertTrue(smtp.next().tls());
        Map<String, MtaSts.Policy> kept = new MtaStsCache(cacheFile(), 10).load(Instant.now());
        assertEquals(Set.of("later.test", "remote.test"), kept.keySet());
        assertEquals(1, Files.readAllLines(cacheFile(), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("remote.test\t")).count());
    }

    @Test
    void aRedirectIsNotFollowedAndLeavesNoPolicy() throws Exception {
        policies.policy = ENFORCE;
        policies.status = 301;
        policies.location = "https://mta-sts.remote.test:" + policies.httpsPort() + "/elsewhere.txt";
        queue = start(config);
        send("");
        TestSmtpServer.Received r = smtp.next();
        assertNotNull(r, "without a policy, delivery is opportunistic");
        assertFalse(r.tls());
        assertEquals(0, policies.redirectTargetFetches.get());
    }

    @Test
    void twoStsRecordsCountAsNone() throws Exception {
        policies.policy = ENFORCE;
        dns.txt("_mta-sts.remote.test", "v=STSv1; id=other");
        queue = start(config);
        send("");
        assertNotNull(smtp.next());
        assertEquals(0, policies.fetches.get());
    }

    @Test
    void mxPatternsMatchExactlyOrOneLeftmostLabel() throws Exception {
        MtaSts.Policy p = MtaSts.parse("version: STSv1\nmode: enforce\nmx: mail.example.org\nmx: *.example.net\n"
                + "max_age: 604800\nfuture: ignored\n", "1", Instant.now());
        assertEquals(MtaSts.Mode.ENFORCE, p.mode());
        assertTrue(p.matches("MAIL.example.org."));
        assertTrue(p.matches("mx1.example.net"));
        assertFalse(p.matches("example.net"));
        assertFalse(p.matches("a.b.example.net"));
        assertFalse(p.matches("other.example.org"));
        assertThrows(IOException.class, () -> MtaSts.parse("version: STSv1\nmode: enforce\nmax_age: 1\n", "1",
                Instant.now()));
        assertThrows(IOException.class, () -> MtaSts.parse("version: STSv2\nmode: enforce\nmx: a\nmax_age: 1\n", "1",
                Instant.now()));
        assertThrows(IOException.class, () -> MtaSts.parse("version: STSv1\nmode: strict\nmx: a\nmax_age: 1\n", "1",
                Instant.now()));
    }
}
