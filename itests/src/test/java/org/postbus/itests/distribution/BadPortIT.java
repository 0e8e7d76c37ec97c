package org.postbus.itests.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A port taken by another program: one clear log line naming the port and where to change it,
 * {@code /health} says what is missing, and the rest of the server serves.
 */
class BadPortIT {

    @Test
    void aTakenHttpsPortIsReportedAndTheRestKeepsRunning() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Server server = Server.fresh("badport")) {
            int taken = squatter.getLocalPort();
            server.env.put("POSTBUS_HTTPS_PORT", Integer.toString(taken));
            server.start();
            Server.await(Duration.ofSeconds(60), () -> server.health().statusCode() == 503
                    && server.health().body().contains("HTTPS port " + taken), "/health to report the taken port");
            Server.await(Duration.ofSeconds(10), () -> {
                try {
                    return server.log().lines().anyMatch(l -> l.contains("ERROR")
                            && l.contains("HTTPS port " + taken) && l.contains("etc/org.apache.felix.http.cfg"));
                } catch (IOException e) {
                    return false;
                }
            }, "one ERROR line naming the port and its setting");

            Server.Result add = server.cli("user", "add", "dave@example.test", "--password", "pw");
            assertEquals(0, add.exit(), "the admin API still works: " + add);
            String health = server.health().body();
            assertTrue(health.matches("(?s).*\"directory\":\\{[^}]*\"up\":true.*"), "the directory is up: " + health);
        }
    }
}
