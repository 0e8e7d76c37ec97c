package org.postbus.admin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.felix.cm.file.ConfigurationHandler;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every configuration file in {@code etc/} when it appears or changes, and says in one log
 * line which file is malformed and why. FileInstall skips such a file (the component keeps its
 * previous settings) but tells no one the reason; this check does, and lists the broken files in
 * {@code /health} under {@code configuration}.
 */
@Component(service = HealthCheck.class, property = HealthCheck.NAME + "=configuration", immediate = true)
public class ConfigFileCheck implements HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileCheck.class);
    private static final long POLL_SECONDS = 1;

    private final Map<Path, Long> seen = new HashMap<>();
    private final Map<Path, String> problems = new TreeMap<>();
    private ScheduledExecutorService poller;
    private Path etc;

    @Activate
    void activate(BundleContext context) {
        String dir = context.getProperty("postbus.etc");
        etc = Path.of(dir == null ? "etc" : dir);
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "postbus-config-check");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::scan, 0, POLL_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        poller.shutdownNow();
    }

    @Override
    public Health check() {
        synchronized (problems) {
            if (problems.isEmpty()) {
                return Health.up("all files in " + etc + " readable");
            }
            StringBuilder detail = new StringBuilder("not applied: ");
            problems.forEach((file, problem) -> detail.append(file.getFileName()).append(" (").append(problem).append("); "));
            // Up all the same: the server runs, on the settings it had before the broken edit.
            return Health.up(detail.substring(0, detail.length() - 2));
        }
    }

    void scan() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(etc, "*.{cfg,config}")) {
            Map<Path, Long> current = new HashMap<>();
            for (Path file : files) {
                long stamp = Files.getLastModifiedTime(file).toMillis() ^ (Files.size(file) << 20);
                current.put(file, stamp);
                Long before = seen.get(file);
                if (before == null || before != stamp) {
                    check(file);
                }
            }
            seen.keySet().retainAll(current.keySet());
            seen.putAll(current);
            synchronized (problems) {
                problems.keySet().retainAll(current.keySet());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot scan {}", etc, e);
        }
    }

    private void check(Path file) {
        String problem = problem(file);
        synchronized (problems) {
            if (problem == null) {
                if (problems.remove(file) != null) {
                    LOG.info("configuration file {} is readable again and applied", file);
                }
                return;
            }
            problems.put(file, problem);
        }
        LOG.error("configuration file {} is malformed and was not applied (previous settings stay): {}", file, problem);
    }

    /** Why the file cannot be read as FileInstall reads it, or {@code null} if it can. */
    static String problem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            if (file.getFileName().toString().endsWith(".config")) {
                ConfigurationHandler.read(in);
            } else {
                new java.util.Properties().load(in);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage();
            return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
        }
    }
}
