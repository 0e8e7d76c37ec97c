package org.postbus.admin.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postbus.api.health.Health;

class HttpListenerCheckTest {

    @Test
    void upWhenEveryConfiguredPortListens() {
        Health h = HttpListenerCheck.evaluate(Map.of(
                "org.apache.felix.http.enable", "true", "org.osgi.service.http.port", "8080",
                "org.apache.felix.https.enable", "true", "org.osgi.service.http.port.secure", "8443",
                "osgi.http.endpoint", new String[] {"http://127.0.0.1:8080/", "https://127.0.0.1:8443/"}));
        assertTrue(h.up(), h.detail());
    }

    @Test
    void aPortThatCouldNotBeBoundIsNamedWithWhereToChangeIt() {
        Health h = HttpListenerCheck.evaluate(Map.of(
                "org.apache.felix.http.enable", "true", "org.osgi.service.http.port", "8080",
                "org.apache.felix.https.enable", "true", "org.osgi.service.http.port.secure", "8443",
                "osgi.http.endpoint", new String[] {"http://127.0.0.1:8080/"}));
        assertFalse(h.up());
        assertTrue(h.detail().contains("HTTPS port 8443"), h.detail());
        assertTrue(h.detail().contains("etc/org.apache.felix.http.cfg"), h.detail());
        assertTrue(h.detail().contains("POSTBUS_HTTPS_PORT"), h.detail());
    }
}
