package org.postbus.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ops4j.pax.exam.Option;
import org.postbus.launcher.AdminSecret;
import org.postbus.launcher.ConfigFiles;
import org.postbus.launcher.FeatureBundle;
import org.postbus.launcher.Features;

/**
 * Pax Exam options that boot Postbus the way {@code bin/postbus run} does: the bundles of the
 * distribution's own feature files, by reference from its {@code system/} folder at their start
 * levels, with the framework properties of its {@code etc/framework.properties}, and a fresh home
 * (etc/, data/, logs/, deploy/) per test class under {@code target/postbus-itest-homes/}.
 *
 * <p>Runs in the test JVM, in the {@code @Configuration} method. What the probe needs to know
 * (the HTTP port, which bundles the features name) travels as framework properties, read on the
 * OSGi side by {@link RunningPostbus}.
 */
public final class PostbusOptions {

    /** Framework property: the HTTP port on 127.0.0.1 that Jetty of this test container listens on. */
    public static final String HTTP_PORT = "postbus.itest.http.port";
    /** Framework property: the symbolic names of the features' bundles, comma-separated. */
    public static final String FEATURE_BUNDLES = "postbus.itest.feature.bundles";

    /** Pax Exam's probe and its own bundles start at 5; so does the server's last level. */
    private static final int FRAMEWORK_START_LEVEL = 5;
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
    private static final Map<Class<?>, Option[]> BUILT = new ConcurrentHashMap<>();

    private PostbusOptions() {
    }

    /**
     * The options that boot every feature of the distribution, for {@code testClass}.
     *
     * @param testClass names the home folder, so a failed class's logs are easy to find
     * @param extra further options, such as a system property a test needs
     */
    public static Option[] features(Class<?> testClass, Option... extra) {
        // Pax Exam calls a @Configuration method more than once per class: one home each.
        return BUILT.computeIfAbsent(testClass, c -> {
            try {
                return build(c, extra);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the Postbus test home for " + c.getName(), e);
            }
        }).clone();
    }

    private static Option[] build(Class<?> testClass, Option... extra) throws IOException {
        Path dist = distribution();
        Path home = newHome(testClass);
        Path etc = home.resolve("etc");
        Path data = home.resolve("data");
        Path logs = home.resolve("logs");
        Path deploy = home.resolve("deploy");
        for (Path dir : List.of(etc, data, logs, deploy)) {
            Files.createDirectories(dir);
        }

        // What Launcher.run() does before it starts the framework.
        Features features = Features.load(dist.resolve("features"));
        Map<String, Map<String, Object>> configurations = features.configurations();
        String secret = AdminSecret.ensure(data.resolve("admin.secret")).secret();
        AdminSecret.writeConsoleConfig(etc, secret);
        // Every listener port the features take from the environment gets a free port instead,
        // so that the tests never collide with a server running on the defaults.
        for (Path written : ConfigFiles.writeDefaults(configurations, etc)) {
            String text = Files.readString(written);
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("\\$\\[env:POSTBUS_[A-Z0-9_]+_PORT;default=\\d+]").matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Integer.toString(freePort()));
            }
            m.appendTail(out);
            Files.writeString(written, out.toString());
        }

        int port = freePort();
        copyShippedConfiguration(dist.resolve("etc"), etc, configurations.keySet());
        Files.writeString(etc.resolve("org.apache.felix.http.cfg"), String.join("\n",
                "# Written by the integration tests: loopback, a free port.",
                "org.apache.felix.http.enable = true",
                "org.osgi.service.http.port = " + port,
                "org.apache.felix.http.host = 127.0.0.1",
                "org.apache.felix.https.enable = false",
                "org.apache.felix.http.jetty.sendServerHeader = false",
                ""));

        List<Option> options = new ArrayList<>();
        Map<String, String> properties = frameworkProperties(dist.resolve("etc").resolve("framework.properties"),
                Map.of("postbus.home", home.toString(),
                        "postbus.data", data.toString(),
                        "postbus.logs", logs.toString(),
                        "postbus.etc", etc.toString(),
                        "postbus.deploy", deploy.toString()));
        properties.put(HTTP_PORT, Integer.toString(port));

        List<String> symbolicNames = new ArrayList<>();
        List<Option> bundles = new ArrayList<>();
        for (FeatureBundle b : features.bundles(dist.resolve("system"))) {
            if (!Files.isRegularFile(b.jar())) {
                throw new IllegalStateException("bundle " + b.coordinates() + " of the features is missing: " + b.jar()
                        + " (run 'mvn install' on the distribution first)");
            }
            Manifest manifest = manifest(b.jar());
            String bsn = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IllegalStateException(b.jar() + " is not an OSGi bundle (no Bundle-SymbolicName)");
            }
            symbolicNames.add(bsn.split(";")[0].strip());
            boolean fragment = manifest.getMainAttributes().getValue("Fragment-Host") != null;
            bundles.add(bundle("reference:" + b.jar().toUri()).startLevel(b.startOrder()).start(!fragment));
        }
        properties.put(FEATURE_BUNDLES, String.join(",", symbolicNames));

        properties.forEach((key, value) -> options.add(frameworkProperty(key).value(value)));
        options.add(frameworkStartLevel(FRAMEWORK_START_LEVEL));
        options.addAll(bundles);
        options.add(junitBundles());
        options.addAll(List.of(extra));

        // One line per class: where its server's log and files are, should anything fail.
        System.err.println("Postbus test home for " + testClass.getSimpleName() + ": " + home
                + " (log: " + logs.resolve("postbus.log") + ", http://127.0.0.1:" + port + ")");
        return options.toArray(Option[]::new);
    }

    /** The distribution folder: system property {@code postbus.dist}, set by the POM. */
    static Path distribution() {
        String dist = System.getProperty("postbus.dist");
        Path path = Path.of(dist == null ? "../distribution/target/postbus" : dist).toAbsolutePath().normalize();
        if (!Files.isDirectory(path.resolve("features")) || !Files.isDirectory(path.resolve("system"))) {
            throw new IllegalStateException("no built distribution at " + path
                    + ": build it first (mvn install -DskipTests from the top)");
        }
        return path;
    }

    private static Path newHome(Class<?> testClass) throws IOException {
        String target = System.getProperty("project.build.directory");
        Path root = Path.of(target == null ? "target" : target).resolve("postbus-itest-homes");
        Files.createDirectories(root);
        return Files.createTempDirectory(root, testClass.getSimpleName() + "-").toAbsolutePath();
    }

    /**
     * Copies the configuration files that the distribution ships in {@code etc/} (logging, the
     * deploy folder), leaving out what is generated or replaced per test: the feature defaults,
     * the console credentials and the HTTP port. Files a local run of the distribution wrote
     * there are thereby left out too.
     */
    private static void copyShippedConfiguration(Path distEtc, Path etc, Set<String> featurePids) throws IOException {
        Set<String> skipped = new HashSet<>(List.of(
                "framework.properties",
                AdminSecret.CONSOLE_PID + ".cfg",
                "org.apache.felix.http.cfg"));
        for (String pid : featurePids) {
            skipped.add(ConfigFiles.stem(pid) + ".cfg");
            skipped.add(ConfigFiles.stem(pid) + ".config");
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(distEtc)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && !name.startsWith(".") && !skipped.contains(name)
                        && (name.endsWith(".cfg") || name.endsWith(".config"))) {
                    String text = Files.readString(file);
                    if (name.equals("org.ops4j.pax.logging.cfg")) {
                        text = quietConsole(text);
                    }
                    Files.writeString(etc.resolve(name), text);
                }
            }
        }
    }

    /**
     * The shipped logging configuration, its console appender limited to warnings: the test
     * output shows what went wrong, the full log is in the home's {@code logs/postbus.log}.
     */
    private static String quietConsole(String text) {
        return text + "\n# Added by the integration tests: the console shows warnings and errors only.\n"
                + "log4j2.appender.console.filter.threshold.type = ThresholdFilter\n"
                + "log4j2.appender.console.filter.threshold.level = WARN\n";
    }

    /**
     * The framework properties of the shipped {@code etc/framework.properties}, with
     * {@code ${postbus.*}} and system properties filled in as the launcher does, plus the
     * {@code postbus.*} folder properties themselves.
     */
    private static Map<String, String> frameworkProperties(Path file, Map<String, String> folders) throws IOException {
        Map<String, String> vars = new LinkedHashMap<>();
        System.getProperties().forEach((k, v) -> vars.put(k.toString(), v.toString()));
        vars.putAll(folders);
        Properties shipped = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            shipped.load(in);
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : shipped.stringPropertyNames()) {
            result.put(name, substitute(shipped.getProperty(name), vars));
        }
        result.putAll(folders);
        return result;
    }

    private static String substitute(String value, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = vars.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? m.group() : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Manifest manifest(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                throw new IllegalStateException(jar + " has no manifest");
            }
            return manifest;
        }
    }

    /** A port free on 127.0.0.1 right now, never handed out twice; the server binds it a moment later. */
    private static int freePort() throws IOException {
        return org.postbus.itests.Ports.free();
    }
}
