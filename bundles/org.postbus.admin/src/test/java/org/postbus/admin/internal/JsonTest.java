package org.postbus.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JsonTest {

    /** A value only the mapper can write. */
    record Point(int x, String label) {
    }

    @Test
    void plainTreesAreWrittenAsTheMapperWritesThem() throws Exception {
        Map<String, Object> checks = new TreeMap<>();
        checks.put("smtp", new LinkedHashMap<>(Map.of("up", true)));
        checks.put("tls", Map.of("detail", "self-signed certificate for \"mail\" \u00e9\u00e8 \u2603\n\ttab \\ end"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "DOWN");
        body.put("checks", checks);
        body.put("count", 42);
        body.put("size", 9_876_543_210L);
        body.put("nothing", null);
        body.put("list", new ArrayList<>(Arrays.asList("a", 1, false, null, List.of(), Map.of())));
        body.put("control", "\u0001\u001f<script>");

        for (Object value : List.of(body, Map.of("error", "too many failed logins"), List.of("x", "y"), "text", 7, true)) {
            assertEquals(Json.mapper().writeValueAsString(value), written(value));
        }
    }

    @Test
    void otherValuesGoThroughTheMapper() throws Exception {
        Object mixed = Map.of("point", new Point(3, "p"), "n", 1.5);
        assertEquals(Json.mapper().writeValueAsString(mixed), written(mixed));
        assertEquals("{\"x\":3,\"label\":\"p\"}", written(new Point(3, "p")));
    }

    private static String written(Object value) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Json.write(out, value);
        return out.toString(StandardCharsets.UTF_8);
    }
}
