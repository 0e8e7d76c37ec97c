package org.postbus.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.testkit.LogCapture;

/** The configured files are checked every second; see {@link TestSettings#files}. */
@Timeout(60)
class TlsReloadTest {

    static TestPki.Issued ca;
    static TestPki.Issued first;
    static TestPki.Issued second;

    @TempDir
    Path temp;

    Path certificate;
    Path key;
    TlsIdentityManager manager;

    @BeforeAll
    static void issue() throws Exception {
        ca = TestPki.ca("Reload CA");
        first = TestPki.server("first.example.test", TestPki.rsa(), ca);
        second = TestPki.server("second.example.test", TestPki.ec(), ca);
    }

    @BeforeEach
    void files() {
        certificate = temp.resolve("etc/fullchain.pem");
        key = temp.resolve("etc/privkey.pem");
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void replacedFilesAreServedWithinSeconds() throws Exception {
        install(first);
        start();
        assertEquals(first.certificate(), handshake().peer());

        long before = System.nanoTime();
        TestPki.replace(certificate, TestPki.pem(second.certificate(), ca.certificate()));
        TestPki.replace(key, TestPki.sec1(second.keys()));
        awaitServing(second);

        assertTrue(Duration.ofNanos(System.nanoTime() - before).toSeconds() < 5);
        assertEquals(second.certificate(), handshake().peer());
        assertEquals(List.of(second.certificate(), ca.certificate()), manager.certificateChain());
        assertTrue(manager.health().detail().startsWith("certificate CN=second.example.test from " + certificate),
                manager.health().detail());
    }

    @Test
    void filesRewrittenInPlaceAreServed() throws Exception {
        install(first);
        start();

        // Not replaced but overwritten, as cp or an editor does.
        Files.writeString(certificate, TestPki.pem(second.certificate()));
        Files.writeString(key, TestPki.pkcs8(second.keys().getPrivate()));

        awaitServing(second);
        assertEquals(second.certificate(), handshake().peer());
    }

    @Test
    void reloadIsLoggedOnceWithSubjectAndExpiry() throws Exception {
        install(first);
        start();
        try (LogCapture log = new LogCapture()) {
            TestPki.replace(certificate, TestPki.pem(second.certificate()));
            TestPki.replace(key, TestPki.sec1(second.keys()));
            awaitServing(second);
            // The new certificate is served a moment before its log line is written.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (log.lines("INFO").stream().noneMatch(line -> line.contains("reloaded")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            List<String> reloads = log.lines("INFO").stream().filter(line -> line.contains("reloaded")).toList();
            assertEquals(1, reloads.size(), String.join("\n", log.lines()));
            assertTrue(reloads.get(0).contains("CN=second.example.test"), reloads.get(0));
            assertTrue(reloads.get(0).contains(second.certificate().getNotAfter().toInstant().toString().substring(0, 16)),
                    reloads.get(0));
            assertEquals(List.of(), log.lines("ERROR"));
        }
    }

    @Test
    void malformedKeyKeepsThePreviousCertificateAndLogsOneErrorLine() throws Exception {
        install(first);
        start();
        try (LogCapture log = new LogCapture()) {
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nthis is not base64 at all!\n-----END PRIVATE KEY-----\n");

            awaitProblem("TLS key " + key + " is not valid PEM");
            // Several more checks pass; the problem is neither fixed nor logged again.
            Thread.sleep(3_000);

            assertEquals(first.certificate(), handshake().peer());
            assertFalse(manager.selfSigned());
            assertTrue(manager.health().up());
            List<String> errors = log.lines("ERROR");
            assertEquals(1, errors.size(), String.join("\n", log.lines()));
            assertTrue(errors.get(0).contains("TLS key " + key + " is not valid PEM"), errors.get(0));
            assertTrue(errors.get(0).endsWith("; keeping the certificate CN=first.example.test from " + certificate),
                    errors.get(0));
            assertTrue(log.lines().stream().noneMatch(line -> line.startsWith("\tat ")), "no stack trace");
        }
    }

    @Test
    void missingCertificateKeepsThePreviousCertificate() throws Exception {
        install(first);
        start();

        Files.delete(certificate);

        awaitProblem("TLS certificate " + certificate + " is missing");
        assertEquals(first.certificate(), handshake().peer());
        assertTrue(manager.health().up());
    }

    @Test
    void mismatchedKeyKeepsThePreviousCertificate() throws Exception {
        install(first);
        start();

        TestPki.replace(certificate, TestPki.pem(second.certificate()));
        TestPki.replace(key, TestPki.pem(TestPki.rsa().getPrivate()));

        awaitProblem("TLS key " + key + " does not match the certificate in " + certificate);
        assertEquals(first.certificate(), handshake().peer());
        assertEquals(List.of(first.certificate(), ca.certificate()), manager.certificateChain());
    }

    @Test
    void fixedFilesClearTheProblem() throws Exception {
        install(first);
        start();
        Files.delete(key);
        awaitProblem("TLS key " + key + " is missing");

        install(second);

        awaitServing(second);
        assertFalse(manager.health().detail().contains("missing"), manager.health().detail());
    }

    @Test
    void badFilesAtStartFallBackToSelfSignedUntilFixed() throws Exception {
        TestPki.write(certificate, TestPki.pem(first.certificate()));
        TestPki.write(key, TestPki.pem(second.keys().getPrivate()).replace('A', 'B'));
        try (LogCapture log = new LogCapture()) {
            start();

            assertTrue(manager.selfSigned());
            X509Certificate selfSigned = manager.certificateChain().get(0);
            assertEquals(selfSigned, Handshakes.handshake(manager.sslContext(), selfSigned, "TLSv1.3").peer());
            assertTrue(manager.health().up());
            assertTrue(manager.health().detail().startsWith("self-signed certificate for " + TestSettings.HOST),
                    manager.health().detail());
            assertTrue(manager.health().detail().contains("TLS key " + key), manager.health().detail());
            List<String> errors = log.lines("ERROR");
            assertEquals(1, errors.size(), String.join("\n", log.lines()));
            assertTrue(errors.get(0).endsWith("; keeping the self-signed certificate for " + TestSettings.HOST),
                    errors.get(0));
        }

        install(first);

        awaitServing(first);
        assertFalse(manager.selfSigned());
    }

    @Test
    void keyWrittenJustAfterTheCertificateIsNotReportedAsMismatch() throws Exception {
        install(first);
        start();
        try (LogCapture log = new LogCapture()) {
            TestPki.replace(certificate, TestPki.pem(second.certificate()));
            Thread.sleep(300);
            TestPki.replace(key, TestPki.sec1(second.keys()));

            awaitServing(second);
            assertEquals(List.of(), log.lines("ERROR"));
        }
    }

    @Test
    void closeEndsTheReloadThread() throws Exception {
        install(first);
        start();
        assertEquals(1, reloadThreads());

        manager.close();

        assertEquals(0, reloadThreads());
    }

    @Test
    void selfSignedNeedsNoReloadThread() throws Exception {
        manager = new TlsIdentityManager(TestSettings.selfSigned(temp.resolve("tls")), Clock.systemUTC());
        manager.start();

        assertEquals(0, reloadThreads());
    }

    private void install(TestPki.Issued issued) throws Exception {
        TestPki.write(certificate, TestPki.pem(issued.certificate(), ca.certificate()));
        // PKCS#1 for the RSA key, SEC1 for the EC one.
        TestPki.write(key, issued.keys().getPrivate().getAlgorithm().equals("RSA")
                ? TestPki.pem(issued.keys().getPrivate())
                : TestPki.sec1(issued.keys()));
    }

    private void start() throws Exception {
        manager = new TlsIdentityManager(TestSettings.files(certificate, key, temp.resolve("tls")), Clock.systemUTC());
        manager.start();
    }

    private Handshakes.Result handshake() throws Exception {
        return Handshakes.handshake(manager.sslContext(), ca.certificate(), "TLSv1.3");
    }

    private void awaitServing(TestPki.Issued issued) throws InterruptedException {
        await(() -> manager.certificateChain().get(0).equals(issued.certificate()),
                () -> "still serving " + manager.health().detail());
    }

    private void awaitProblem(String problem) throws InterruptedException {
        await(() -> manager.health().detail().contains(problem),
                () -> "health says " + manager.health().detail() + ", not " + problem);
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(failure.get());
            }
            Thread.sleep(50);
        }
    }

    static long reloadThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(TlsIdentityManager.RELOAD_THREAD) && thread.isAlive())
                .count();
    }
}
