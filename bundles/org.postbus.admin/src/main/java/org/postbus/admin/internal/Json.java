package org.postbus.admin.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.Map;

/** Writes JSON answers. */
final class Json {

    /** The mapper, set up when first needed (see {@link #write}). */
    static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    // A holder class, so that /health never pays for the mapper: setting one up loads some 340
    // databind classes, 100 to 200 ms of CPU while the server is still starting.
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    static void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        write(response.getOutputStream(), body);
    }

    /**
     * Writes {@code body}: maps, collections, strings, whole numbers, booleans and null with the
     * streaming generator, anything else (records, beans) with the mapper. Both write the same JSON.
     */
    static void write(OutputStream out, Object body) throws IOException {
        if (plain(body)) {
            try (JsonGenerator generator = FACTORY.createGenerator(out)) {
                generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                tree(generator, body);
            }
        } else {
            mapper().writeValue(out, body);
        }
    }

    static void error(HttpServletResponse response, int status, String message) throws IOException {
        write(response, status, Map.of("error", message));
    }

    /** Whether {@code value} is made only of what {@link #tree} writes. */
    private static boolean plain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String) || !plain(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (!plain(item)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static void tree(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (value instanceof Number number) {
            generator.writeNumber(number.longValue());
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                generator.writeFieldName((String) e.getKey());
                tree(generator, e.getValue());
            }
            generator.writeEndObject();
        } else {
            generator.writeStartArray();
            for (Object item : (Collection<?>) value) {
                tree(generator, item);
            }
            generator.writeEndArray();
        }
    }
}
