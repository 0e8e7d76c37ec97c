package org.postbus.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Runs the server in the foreground: prepares {@code etc/} and {@code data/} on first start,
 * then starts Felix with the bundles of the installed features, each at its start level, and
 * waits until the framework stops (on SIGTERM or Ctrl-C the framework is stopped cleanly).
 */
public final class Launcher {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private final Home home;

    public Launcher(Home home) {
        this.home = home;
    }

    /** Starts the server and blocks until it stops. */
    public int run() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(home.data());
        Files.createDirectories(home.logs());
        Files.createDirectories(home.deploy());

        AdminSecret.Created secret = AdminSecret.ensure(home.adminSecret());
        if (secret.isNew()) {
            System.out.println("Postbus: first start. The admin password is " + secret.secret());
            System.out.println("         (user '" + AdminSecret.USER + "'; kept in " + home.adminSecret()
                    + " for bin/postbus, shown only this once)");
        }
        AdminSecret.writeConsoleConfig(home.etc(), secret.secret());

        Features features = Features.load(home.features());
        List<Path> written = ConfigFiles.writeDefaults(features.configurations(), home.etc());
        for (Path file : written) {
            System.out.println("Postbus: wrote default configuration " + home.root().relativize(file));
        }

        Map<String, String> properties = frameworkProperties(home);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        Framework framework = factory.newFramework(properties);
        framework.init();
        install(framework.getBundleContext(), features.bundles(home.system()));

        Thread stopper = new Thread(() -> stop(framework), "postbus-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        framework.start();
        System.out.println("Postbus: " + framework.getBundleContext().getBundles().length + " bundles started in "
                + (System.nanoTime() - started) / 1_000_000 + " ms (JVM up " + java.lang.management.ManagementFactory
                .getRuntimeMXBean().getUptime() + " ms); log in " + home.root().relativize(home.logs().resolve("postbus.log")));
        FrameworkEvent event = framework.waitForStop(0);
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting through the hook
        }
        return event.getType() == FrameworkEvent.ERROR ? 1 : 0;
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(30_000);
        } catch (BundleException | InterruptedException e) {
            System.err.println("Postbus: error while stopping: " + e);
        }
    }

    /**
     * Installs the bundles by reference (no copy into the cache) at their start levels and marks
     * them started; the framework starts them level by level as it comes up.
     */
    static void install(BundleContext context, List<FeatureBundle> bundles) {
        for (FeatureBundle b : bundles) {
            if (!Files.isRegularFile(b.jar())) {
                System.err.println("Postbus: bundle " + b.coordinates() + " is missing: " + b.jar() + " (skipped)");
                continue;
            }
            try {
                Bundle bundle = context.installBundle("reference:" + b.jar().toUri());
                bundle.adapt(BundleStartLevel.class).setStartLevel(b.startOrder());
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            } catch (BundleException e) {
                System.err.println("Postbus: bundle " + b.coordinates() + " cannot be installed: " + e.getMessage());
            }
        }
    }

    /**
     * The framework properties: {@code etc/framework.properties}, with {@code ${postbus.home}},
     * {@code ${postbus.data}}, {@code ${postbus.logs}} and system properties substituted.
     */
    static Map<String, String> frameworkProperties(Home home) throws IOException {
        Map<String, String> vars = new HashMap<>();
        System.getProperties().forEach((k, v) -> vars.put(k.toString(), v.toString()));
        vars.put("postbus.home", home.root().toString());
        vars.put("postbus.data", home.data().toString());
        vars.put("postbus.logs", home.logs().toString());
        vars.put("postbus.etc", home.etc().toString());
        vars.put("postbus.deploy", home.deploy().toString());
        vars.put("postbus.console.level", System.getProperty("postbus.console.level", "INFO"));

        Properties file = new Properties();
        Path path = home.etc().resolve("framework.properties");
        if (Files.isRegularFile(path)) {
            try (InputStream in = Files.newInputStream(path)) {
                file.load(in);
            }
        }
        Map<String, String> result = new HashMap<>();
        for (String name : file.stringPropertyNames()) {
            result.put(name, substitute(file.getProperty(name), vars));
        }
        for (String name : List.of("postbus.home", "postbus.data", "postbus.logs", "postbus.etc", "postbus.deploy",
                "postbus.console.level")) {
            result.put(name, vars.get(name));
        }
        return result;
    }

    static String substitute(String value, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = vars.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? m.group() : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
