package org.postbus.smtp.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** Changes one value of a {@link ListenerSettings} record, by component name. */
final class Settings {

    private Settings() {
    }

    static ListenerSettings with(ListenerSettings settings, String component, Object value) {
        try {
            RecordComponent[] components = ListenerSettings.class.getRecordComponents();
            Object[] values = new Object[components.length];
            boolean found = false;
            for (int i = 0; i < components.length; i++) {
                found |= components[i].getName().equals(component);
                values[i] = components[i].getName().equals(component) ? value : components[i].getAccessor().invoke(settings);
            }
            if (!found) {
                throw new IllegalArgumentException("no component " + component);
            }
            Constructor<ListenerSettings> constructor = ListenerSettings.class.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
