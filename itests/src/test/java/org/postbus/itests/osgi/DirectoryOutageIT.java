package org.postbus.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
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

/**
 * A missing service degrades the server, never crashes it: with the directory bundle stopped,
 * {@code /health} answers 503 naming the directory, the REST API answers 503, and everything
 * else keeps serving; started again, both answer 200.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DirectoryOutageIT {

    @Rule
    public final LogOnFailure logOnFailure = new LogOnFailure();

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return PostbusOptions.features(DirectoryOutageIT.class);
    }

    @Test
    public void stoppingTheDirectoryDegradesHealthAndApiUntilItIsBack() throws Exception {
        RunningPostbus server = new RunningPostbus(context);
        server.awaitHealthy("directory", "tls");
        String admin = server.adminAuthorization();
        HttpResponse<String> added = server.postJson("/api/v1/domains", admin, "{\"name\":\"outage-itest.example\"}");
        assertEquals("POST /api/v1/domains: " + added.body(), 201, added.statusCode());

        Bundle directory = server.bundle("org.postbus.directory").orElseThrow();
        directory.stop();
        try {
            HttpResponse<String> health = server.await("503 with the directory down",
                    server.request("/health").GET().build(),
                    r -> r.statusCode() == 503
                            && !RunningPostbus.json(r).path("checks").path("directory").path("up").asBoolean(true));
            JsonNode body = RunningPostbus.json(health);
            assertEquals("DOWN", body.path("status").asText());
            assertTrue("the other parts still report: " + body, body.path("checks").path("tls").path("up").asBoolean());

            HttpResponse<String> api = server.get("/api/v1/domains", admin);
            assertEquals("the API says the directory is gone: " + api.body(), 503, api.statusCode());
            assertTrue("a JSON error: " + api.body(), RunningPostbus.json(api).has("error"));
            assertEquals("the admin bundle keeps running", Bundle.ACTIVE,
                    server.bundle("org.postbus.admin").orElseThrow().getState());
            assertEquals("still refuses strangers", 401, server.get("/api/v1/domains", null).statusCode());
        } finally {
            directory.start();
        }

        server.awaitHealthy("directory", "tls");
        HttpResponse<String> api = server.await("200 from the API again",
                server.request("/api/v1/domains").header("Authorization", admin).GET().build(),
                r -> r.statusCode() == 200);
        assertTrue("the domain survived the restart: " + api.body(), api.body().contains("\"outage-itest.example\""));
    }
}
