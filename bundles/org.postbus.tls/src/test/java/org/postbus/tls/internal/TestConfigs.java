package org.postbus.tls.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A {@link TlsConfiguration} as SCR would make it: the annotation's defaults, some overridden. */
final class TestConfigs {

    private TestConfigs() {
    }

    /** @param values by property key, such as {@code certificate.file} */
    static TlsConfiguration tls(Map<String, Object> values) {
        return (TlsConfiguration) Proxy.newProxyInstance(TlsConfiguration.class.getClassLoader(),
                new Class<?>[] {TlsConfiguration.class}, (proxy, method, args) -> {
                    String key = method.getName().replace("_", ".");
                    if (values.containsKey(key)) {
                        return values.get(key);
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    return switch (method.getName()) {
                        case "annotationType" -> TlsConfiguration.class;
                        case "toString" -> "TlsConfiguration" + values;
                        case "hashCode" -> values.hashCode();
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }
}
