package org.postbus.launcher;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes the features' default configurations into {@code etc/} as files that Felix FileInstall
 * applies, so that every setting a user may change is a file they can see and edit. A file that
 * already exists is never touched: the user's edits win.
 *
 * <p>A configuration of plain values becomes a {@code .cfg} properties file; one with lists
 * becomes a typed {@code .config} file. A factory configuration {@code pid~name} becomes
 * {@code pid-name.cfg}, the name FileInstall maps back to a factory configuration.
 */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    /** The file name stem FileInstall maps to {@code pid}. */
    public static String stem(String pid) {
        return pid.replace('~', '-');
    }

    /**
     * Writes each configuration that has no file in {@code etc} yet.
     *
     * @return the files written
     */
    public static List<Path> writeDefaults(Map<String, Map<String, Object>> configurations, Path etc)
            throws IOException {
        Files.createDirectories(etc);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> entry : configurations.entrySet()) {
            String stem = stem(entry.getKey());
            Path cfg = etc.resolve(stem + ".cfg");
            Path config = etc.resolve(stem + ".config");
            if (Files.exists(cfg) || Files.exists(config)) {
                continue;
            }
            boolean typed = entry.getValue().values().stream()
                    .anyMatch(v -> v instanceof Collection || (v != null && v.getClass().isArray()));
            Path target = typed ? config : cfg;
            String text = typed ? typedFormat(entry.getValue()) : propertiesFormat(entry.getKey(), entry.getValue());
            Path tmp = etc.resolve('.' + target.getFileName().toString() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            written.add(target);
        }
        return written;
    }

    private static String propertiesFormat(String pid, Map<String, Object> values) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(pid).append(": written from the feature defaults on first start.\n");
        out.append("# Edit freely; changes apply while the server runs. $[env:NAME;default=x] reads the environment.\n");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            out.append(escapeKey(e.getKey())).append(" = ").append(escapeValue(String.valueOf(e.getValue()))).append('\n');
        }
        return out.toString();
    }

    private static String typedFormat(Map<String, Object> values) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            out.append(escapeKey(e.getKey())).append('=').append(typed(e.getValue())).append('\n');
        }
        return out.toString();
    }

    private static String typed(Object value) {
        if (value instanceof Collection<?> c) {
            return list(new ArrayList<>(c));
        }
        if (value != null && value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
            return list(items);
        }
        String prefix = value instanceof Integer ? "I" : value instanceof Long ? "L"
                : value instanceof Boolean ? "B" : value instanceof Double ? "D" : "";
        return prefix + quote(String.valueOf(value));
    }

    private static String list(List<Object> items) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "" : ",").append(quote(String.valueOf(items.get(i))));
        }
        return out.append(']').toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String escapeKey(String key) {
        return key.replace("\\", "\\\\").replace(" ", "\\ ").replace("=", "\\=").replace(":", "\\:");
    }

    private static String escapeValue(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
