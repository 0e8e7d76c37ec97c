package org.postbus.directory.internal;

/**
 * Told about each change once it is durable; the OSGi component turns this into an Event Admin
 * event, so the core stays free of framework types.
 */
@FunctionalInterface
interface ChangeListener {

    /** Ignores every change. */
    ChangeListener NONE = (topic, name, change) -> { };

    /**
     * @param topic one of the {@code org.postbus.api.event.DirectoryEvents} topics
     * @param name the domain, account address or alias source that changed
     * @param change {@code added}, {@code changed} or {@code removed}
     */
    void changed(String topic, String name, String change);
}
