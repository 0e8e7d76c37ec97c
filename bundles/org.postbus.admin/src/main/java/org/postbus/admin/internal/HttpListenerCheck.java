package org.postbus.admin.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the web server listens on every port it is configured for. Jetty reports a port it
 * cannot bind only with a stack trace; this check says it in one line, with the setting to
 * change, and shows it in {@code /health} as {@code http}.
 */
@Component(service = HealthCheck.class, property = HealthCheck.NAME + "=http", immediate = true)
public class HttpListenerCheck implements HealthCheck {

    static final String CONFIG_FILE = "etc/org.apache.felix.http.cfg";
    private static final Logger LOG = LoggerFactory.getLogger(HttpListenerCheck.class);

    private volatile Map<String, Object> runtime;
    private final Set<String> reported = new TreeSet<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            updated = "runtimeChanged")
    void bindRuntime(HttpServiceRuntime service, Map<String, Object> properties) {
        runtimeChanged(service, properties);
    }

    void runtimeChanged(HttpServiceRuntime service, Map<String, Object> properties) {
        runtime = Map.copyOf(properties);
        Health health = evaluate(runtime);
        synchronized (reported) {
            if (health.up()) {
                reported.clear();
            } else if (reported.add(health.detail())) {
                LOG.error("{}", health.detail());
            }
        }
    }

    void unbindRuntime(HttpServiceRuntime service) {
        runtime = null;
    }

    @Override
    public Health check() {
        Map<String, Object> current = runtime;
        return current == null ? Health.down("the web server is not running") : evaluate(current);
    }

    /** Compares the configured ports with the endpoints the runtime listens on. */
    static Health evaluate(Map<String, Object> properties) {
        Set<Integer> listening = new TreeSet<>();
        for (String endpoint : strings(properties.get("osgi.http.endpoint"))) {
            try {
                int port = URI.create(endpoint).getPort();
                if (port > 0) {
                    listening.add(port);
                }
            } catch (IllegalArgumentException ignored) {
                // not a URL; nothing to compare
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        if (!"false".equalsIgnoreCase(text(properties.get("org.apache.felix.http.enable")))) {
            expected.put("HTTP", text(properties.get("org.osgi.service.http.port")));
        }
        if ("true".equalsIgnoreCase(text(properties.get("org.apache.felix.https.enable")))) {
            expected.put("HTTPS", text(properties.get("org.osgi.service.http.port.secure")));
        }
        List<String> missing = new ArrayList<>();
        expected.forEach((kind, port) -> {
            try {
                int p = Integer.parseInt(port.strip());
                if (p > 0 && !listening.contains(p)) {
                    missing.add(kind + " port " + p + " (" + (kind.equals("HTTP") ? "POSTBUS_HTTP_PORT" : "POSTBUS_HTTPS_PORT")
                            + " or " + CONFIG_FILE + ") is not listening: is it in use by another program?");
                }
            } catch (NumberFormatException e) {
                missing.add(kind + " port '" + port + "' in " + CONFIG_FILE + " is not a number");
            }
        });
        if (missing.isEmpty()) {
            return Health.up("listening on " + String.join(", ", strings(properties.get("osgi.http.endpoint"))));
        }
        return Health.down(String.join("; ", missing));
    }

    private static List<String> strings(Object value) {
        List<String> result = new ArrayList<>();
        if (value instanceof String s) {
            result.add(s);
        } else if (value instanceof String[] array) {
            result.addAll(List.of(array));
        } else if (value instanceof Collection<?> c) {
            c.forEach(o -> result.add(String.valueOf(o)));
        }
        return result;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
