package org.postbus.itests.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code bin/postbus start}, {@code status} and {@code stop}, as a service manager uses them. */
class DaemonIT {

    @Test
    void startStatusStop() throws Exception {
        try (Server server = Server.fresh("daemon")) {
            Server.Result start = server.cli("start");
            assertEquals(0, start.exit(), start.toString());
            assertTrue(Files.exists(server.home.resolve("data/postbus.pid")));
            try {
                Server.await(Duration.ofSeconds(60), () -> {
                    try {
                        return server.cli("status").exit() == 0;
                    } catch (Exception e) {
                        return false;
                    }
                }, "status to report a healthy server");
                Server.Result status = server.cli("status");
                assertTrue(status.out().contains("UP"), status.toString());
                assertTrue(Files.exists(server.home.resolve("logs/postbus.log")), "the log goes to logs/");

                assertEquals(0, server.cli("start").exit(), "a second start is harmless");
            } finally {
                Server.Result stop = server.cli("stop");
                assertEquals(0, stop.exit(), stop.toString());
            }
            assertEquals(3, server.cli("status").exit(), "not running after stop");
            assertTrue(Files.notExists(server.home.resolve("data/postbus.pid")));
        }
    }
}
