package org.postbus.smtp.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A {@link ListenerConfig} as SCR would make it: the annotation's defaults, some overridden. */
final class TestConfigs {

    private TestConfigs() {
    }

    /** @param values by property key, such as {@code max.message.size} */
    static ListenerConfig listener(Map<String, Object> values) {
        return (ListenerConfig) Proxy.newProxyInstance(ListenerConfig.class.getClassLoader(),
                new Class<?>[] {ListenerConfig.class}, (proxy, method, args) -> {
                    String key = method.getName().replace("_", ".");
                    if (values.containsKey(key)) {
                        return values.get(key);
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    return switch (method.getName()) {
                        case "annotationType" -> ListenerConfig.class;
                        case "toString" -> "ListenerConfig" + values;
                        case "hashCode" -> values.hashCode();
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }
}
