package org.postbus.api.event;

/**
 * Topics of the events the directory posts through the OSGi Event Admin after each change.
 */
public final class DirectoryEvents {

    private DirectoryEvents() {
    }

    /** Prefix of every directory topic. */
    public static final String TOPIC_PREFIX = "org/postbus/directory/";

    /** A domain was added or removed; {@link #NAME} holds it. */
    public static final String DOMAIN_CHANGED = TOPIC_PREFIX + "DOMAIN_CHANGED";

    /** An account was added, changed or removed; {@link #NAME} holds its address. */
    public static final String ACCOUNT_CHANGED = TOPIC_PREFIX + "ACCOUNT_CHANGED";

    /** An alias was added, changed or removed; {@link #NAME} holds its source. */
    public static final String ALIAS_CHANGED = TOPIC_PREFIX + "ALIAS_CHANGED";

    /** Property: the name of what changed ({@code String}). */
    public static final String NAME = "name";

    /** Property: {@code added}, {@code changed} or {@code removed} ({@code String}). */
    public static final String CHANGE = "change";
}
