package org.postbus.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.inject.Inject;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.postbus.api.directory.Directory;
import org.postbus.api.tls.TlsService;

/**
 * The shipped features boot in Felix: every bundle they name is active, the directory and TLS
 * services are there, and {@code GET /health} says so.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServerBootIT {

    @Rule
    public final LogOnFailure logOnFailure = new LogOnFailure();

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return PostbusOptions.features(ServerBootIT.class);
    }

    @Test
    public void everyBundleOfTheFeaturesIsActive() throws InterruptedException {
        RunningPostbus server = new RunningPostbus(context);
        List<String> expected = server.featureBundles();
        assertTrue("the features name the Postbus bundles: " + expected, expected.contains("org.postbus.directory"));
        List<String> problems = new ArrayList<>();
        long end = System.nanoTime() + RunningPostbus.DEADLINE.toNanos();
        do {
            problems.clear();
            for (String bsn : expected) {
                Bundle b = server.bundle(bsn).orElse(null);
                if (b == null) {
                    problems.add(bsn + " is not installed");
                } else if (b.getHeaders().get("Fragment-Host") != null) {
                    if (b.getState() != Bundle.RESOLVED) {
                        problems.add(bsn + " (fragment) is in state " + state(b));
                    }
                } else if (b.getState() != Bundle.ACTIVE) {
                    problems.add(bsn + " is in state " + state(b));
                }
            }
            if (!problems.isEmpty()) {
                Thread.sleep(200);
            }
        } while (!problems.isEmpty() && System.nanoTime() < end);
        assertTrue("bundles not active: " + problems, problems.isEmpty());
    }

    @Test
    public void noBundleIsInstalledTwice() {
        // Pax Exam adds its own bundles beside the features'; with pax.exam.logging=none it must
        // not add a second pax-logging, nor anything else the features already bring.
        Map<String, List<String>> versions = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null) {
                versions.computeIfAbsent(b.getSymbolicName(), k -> new ArrayList<>()).add(b.getVersion().toString());
            }
        }
        versions.values().removeIf(v -> v.size() == 1);
        assertTrue("installed more than once: " + versions, versions.isEmpty());
        List<String> logging = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.ops4j.pax.logging")) {
                logging.add(b.getSymbolicName() + " " + b.getVersion() + " from " + b.getLocation());
            }
        }
        assertEquals("pax-logging comes from the features only: " + logging, 2, logging.size());
        assertTrue("pax-logging comes from the features only: " + logging,
                logging.stream().allMatch(l -> l.contains("reference:file:")));
    }

    @Test
    public void directoryAndTlsServicesAreRegistered() throws InterruptedException {
        RunningPostbus server = new RunningPostbus(context);
        Directory directory = server.awaitService(Directory.class);
        assertNotNull("the directory lists its domains", directory.domains());
        TlsService tls = server.awaitService(TlsService.class);
        assertFalse("the TLS service has a certificate", tls.certificateChain().isEmpty());
        assertNotNull("the TLS service has a context", tls.sslContext());
    }

    @Test
    public void healthAnswersUpWithDirectoryAndTls() throws InterruptedException {
        RunningPostbus server = new RunningPostbus(context);
        JsonNode health = server.awaitHealthy("directory", "tls");
        assertEquals("UP", health.path("status").asText());
        assertTrue("directory check: " + health, health.path("checks").path("directory").path("up").asBoolean());
        assertTrue("tls check: " + health, health.path("checks").path("tls").path("up").asBoolean());
    }

    private static String state(Bundle b) {
        switch (b.getState()) {
            case Bundle.INSTALLED: return "INSTALLED (not resolved: see the log)";
            case Bundle.RESOLVED: return "RESOLVED (not started)";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            default: return Integer.toString(b.getState());
        }
    }
}
