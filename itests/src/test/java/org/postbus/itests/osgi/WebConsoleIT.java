package org.postbus.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The Felix web console at {@code /system/console} is for the admin only, with the credentials
 * the launcher derives from {@code data/admin.secret}; never its built-in default password.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebConsoleIT {

    @Rule
    public final LogOnFailure logOnFailure = new LogOnFailure();

    @Inject
    private BundleContext context;

    private RunningPostbus server;

    @Configuration
    public Option[] configuration() {
        return PostbusOptions.features(WebConsoleIT.class);
    }

    @Before
    public void consoleIsUp() throws InterruptedException {
        server = new RunningPostbus(context);
        // The console answers as soon as it is registered, but takes its credentials from
        // etc/ a moment later: wait until the admin's password is the one it asks for.
        server.await("the console to accept the admin's password",
                server.request("/system/console/bundles").header("Authorization", server.adminAuthorization()).GET().build(),
                r -> r.statusCode() == 200);
    }

    @Test
    public void consoleWithoutCredentialsIsRefused() throws Exception {
        HttpResponse<String> response = server.get("/system/console/bundles", null);
        assertEquals(401, response.statusCode());
    }

    @Test
    public void consoleDefaultPasswordIsRefused() throws Exception {
        HttpResponse<String> response = server.get("/system/console/bundles", RunningPostbus.basic("admin", "admin"));
        assertEquals(401, response.statusCode());
    }

    @Test
    public void consoleShowsBundlesToTheAdmin() throws Exception {
        HttpResponse<String> page = server.get("/system/console/bundles", server.adminAuthorization());
        assertEquals(200, page.statusCode());
        assertTrue("an HTML page: " + page.headers().map(), page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));

        HttpResponse<String> json = server.get("/system/console/bundles.json", server.adminAuthorization());
        assertEquals(200, json.statusCode());
        boolean listed = false;
        for (JsonNode bundle : RunningPostbus.json(json).path("data")) {
            listed |= "org.postbus.directory".equals(bundle.path("symbolicName").asText());
        }
        assertTrue("bundles.json lists org.postbus.directory", listed);
    }
}
