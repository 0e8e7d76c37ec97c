package org.postbus.admin.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health}: 200 when every registered check is up and every required part is present,
 * 503 otherwise, with the state of each part as JSON. Open to anyone (load balancers and
 * monitors poll it); it tells nothing beyond what is up.
 */
@Component(
        service = Servlet.class,
        configurationPid = "org.postbus.admin.health",
        property = {
            "osgi.http.whiteboard.servlet.pattern=/health",
            "osgi.http.whiteboard.servlet.name=postbus-health"
        })
@Designate(ocd = HealthServlet.Config.class)
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HealthServlet.class);

    /** Configuration of {@code /health}. */
    @ObjectClassDefinition(name = "Postbus health", description = "What GET /health requires to answer 200.")
    public @interface Config {
        @AttributeDefinition(name = "Required parts",
                description = "Comma-separated names of health checks that must be present, such as directory,tls,smtp,store.")
        String required() default "directory,tls,http";
    }

    private final transient ConcurrentMap<HealthCheck, String> checks = new ConcurrentHashMap<>();
    private volatile List<String> required = List.of();

    @Activate
    @Modified
    void configure(Config config) {
        required = Arrays.stream(config.required().split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCheck(HealthCheck check, Map<String, Object> properties) {
        Object name = properties.get(HealthCheck.NAME);
        checks.put(check, name == null ? check.getClass().getName() : name.toString());
    }

    void removeCheck(HealthCheck check) {
        checks.remove(check);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> results = new TreeMap<>();
        boolean allUp = true;
        for (Map.Entry<HealthCheck, String> e : checks.entrySet()) {
            Health health;
            try {
                health = e.getKey().check();
            } catch (RuntimeException failure) {
                LOG.warn("Health check {} failed: {}", e.getValue(), failure.toString());
                health = Health.down("health check failed: " + failure);
            }
            allUp &= health.up();
            results.put(e.getValue(), Map.of("up", health.up(), "detail", health.detail()));
        }
        for (String name : required) {
            if (!results.containsKey(name)) {
                allUp = false;
                results.put(name, Map.of("up", false, "detail", "not running (no " + name + " service)"));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", allUp ? "UP" : "DOWN");
        body.put("checks", results);
        Json.write(response, allUp ? 200 : 503, body);
    }
}
