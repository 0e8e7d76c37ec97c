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
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Directory;

/**
 * The REST admin API at {@code /api/v1}, over HTTP on 127.0.0.1 as {@code bin/postbus} and
 * scripts use it: the admin creates a domain and a user, and that user can then log in through
 * the directory; anyone without the admin password is turned away.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdminApiIT {

    private static final String DOMAIN = "api-itest.example";
    private static final String USER = "alice@" + DOMAIN;
    private static final String PASSWORD = "correct horse battery staple";

    @Rule
    public final LogOnFailure logOnFailure = new LogOnFailure();

    @Inject
    private BundleContext context;

    private RunningPostbus server;

    @Configuration
    public Option[] configuration() {
        return PostbusOptions.features(AdminApiIT.class);
    }

    @Before
    public void serverIsUp() throws InterruptedException {
        server = new RunningPostbus(context);
        server.awaitHealthy("directory");
    }

    @Test
    public void userCreatedThroughTheApiCanLogIn() throws Exception {
        String admin = server.adminAuthorization();
        HttpResponse<String> domain = server.postJson("/api/v1/domains", admin, "{\"name\":\"" + DOMAIN + "\"}");
        assertEquals("POST /api/v1/domains: " + domain.body(), 201, domain.statusCode());
        assertEquals(DOMAIN, RunningPostbus.json(domain).path("name").asText());

        HttpResponse<String> user = server.postJson("/api/v1/users", admin,
                "{\"address\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals("POST /api/v1/users: " + user.body(), 201, user.statusCode());
        assertEquals(USER, RunningPostbus.json(user).path("address").asText());

        HttpResponse<String> users = server.get("/api/v1/users", admin);
        assertEquals(200, users.statusCode());
        boolean listed = false;
        for (JsonNode u : RunningPostbus.json(users)) {
            listed |= USER.equals(u.path("address").asText());
        }
        assertTrue("GET /api/v1/users lists " + USER + ": " + users.body(), listed);

        Directory directory = server.awaitService(Directory.class);
        AuthResult login = directory.authenticate(USER, PASSWORD.toCharArray());
        assertEquals(AuthResult.Status.SUCCESS, login.status());
        assertEquals(USER, login.account().orElseThrow().username());
        assertEquals(AuthResult.Status.INVALID_CREDENTIALS,
                directory.authenticate(USER, "wrong password".toCharArray()).status());
    }

    @Test
    public void wrongAdminPasswordIsRefused() throws Exception {
        HttpResponse<String> response = server.get("/api/v1/domains", RunningPostbus.basic(RunningPostbus.ADMIN, "not-the-secret"));
        assertEquals(401, response.statusCode());
        assertTrue("asks for Basic credentials", response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));

        HttpResponse<String> post = server.postJson("/api/v1/domains", RunningPostbus.basic(RunningPostbus.ADMIN, "not-the-secret"),
                "{\"name\":\"intruder.example\"}");
        assertEquals(401, post.statusCode());
        HttpResponse<String> domains = server.get("/api/v1/domains", server.adminAuthorization());
        assertTrue("a refused request changes nothing: " + domains.body(), !domains.body().contains("intruder.example"));
    }

    @Test
    public void requestWithoutCredentialsIsRefused() throws Exception {
        HttpResponse<String> response = server.get("/api/v1/domains", null);
        assertEquals(401, response.statusCode());
        assertTrue("the answer is a JSON error: " + response.body(), RunningPostbus.json(response).has("error"));
    }
}
