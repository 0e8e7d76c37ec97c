package org.postbus.itests.osgi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The server booted by {@link PostbusOptions}, seen from inside the test probe: its HTTP address
 * on 127.0.0.1, the admin password in its {@code data/admin.secret}, its services and its log.
 * Every request goes through a real socket, as a user's would.
 */
final class RunningPostbus {

    /** How long the server may take to come up, or to notice that a part went away. */
    static final Duration DEADLINE = Duration.ofSeconds(20);

    /** The administrator's user name (the launcher's {@code AdminSecret.USER}). */
    static final String ADMIN = "admin";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BundleContext context;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    RunningPostbus(BundleContext context) {
        this.context = context;
    }

    /** {@code http://127.0.0.1:PORT} + {@code path}. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + property(PostbusOptions.HTTP_PORT) + path);
    }

    /** The admin password the launcher code generated into {@code data/admin.secret}. */
    String adminPassword() {
        try {
            return Files.readString(Path.of(property("postbus.data"), "admin.secret")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An {@code Authorization} header value for HTTP Basic. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ':' + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The admin's {@code Authorization} header. */
    String adminAuthorization() {
        return basic(ADMIN, adminPassword());
    }

    /** A request to {@code path}, with a generous timeout so a slow machine fails by assertion, not hang. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    }

    /** A GET of {@code path}, with {@code authorization} unless it is null. */
    HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    /** A POST of a JSON body to {@code path}, with {@code authorization} unless it is null. */
    HttpResponse<String> postJson(String path, String authorization, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Repeats {@code request} until its answer satisfies {@code expected}, for at most
     * {@link #DEADLINE}; connection failures (Jetty not bound yet) count as "not yet".
     *
     * @throws AssertionError saying what was awaited and the last answer seen
     */
    HttpResponse<String> await(String what, HttpRequest request, Predicate<HttpResponse<String>> expected)
            throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        String last = "no answer";
        while (true) {
            try {
                HttpResponse<String> response = send(request);
                if (expected.test(response)) {
                    return response;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("waited " + DEADLINE.toSeconds() + " s for " + what + " from "
                        + request.method() + ' ' + request.uri() + "; last answer: " + last);
            }
            Thread.sleep(200);
        }
    }

    /** Waits until {@code GET /health} answers 200, status UP, with {@code checks} up. */
    JsonNode awaitHealthy(String... checks) throws InterruptedException {
        HttpResponse<String> response = await("200 UP with " + Arrays.toString(checks) + " up",
                request("/health").GET().build(),
                r -> r.statusCode() == 200 && isUp(r, checks));
        return json(response);
    }

    private static boolean isUp(HttpResponse<String> response, String... checks) {
        JsonNode health = json(response);
        if (!"UP".equals(health.path("status").asText())) {
            return false;
        }
        return List.of(checks).stream().allMatch(c -> health.path("checks").path(c).path("up").asBoolean(false));
    }

    /** The body as JSON. */
    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    /**
     * The service of {@code type}, waiting for it up to {@link #DEADLINE}. The tracker stays open
     * until the probe is uninstalled: closing it would release a delayed DS component, which
     * would then be deactivated under the test's hands.
     */
    <T> T awaitService(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        T service = tracker.waitForService(DEADLINE.toMillis());
        if (service == null) {
            throw new AssertionError("no " + type.getName() + " service within " + DEADLINE.toSeconds() + " s");
        }
        return service;
    }

    /** The installed bundle with this symbolic name, if any. */
    Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    /** The symbolic names of the bundles the features name. */
    List<String> featureBundles() {
        return List.of(property(PostbusOptions.FEATURE_BUNDLES).split(","));
    }

    /** The server's main log file. */
    Path log() {
        return Path.of(property("postbus.logs"), "postbus.log");
    }

    private String property(String name) {
        String value = context.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("framework property " + name + " is not set: was the container "
                    + "configured with PostbusOptions.features(...)?");
        }
        return value;
    }
}
