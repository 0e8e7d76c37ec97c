package org.postbus.api.store;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The flags of a message: system flags and keywords. Immutable.
 *
 * @param system the system flags
 * @param keywords the keywords, such as {@code $Junk} or {@code $Forwarded}, in their given case
 */
public record Flags(Set<Flag> system, Set<String> keywords) {

    /** No flags at all. */
    public static final Flags NONE = new Flags(Set.of(), Set.of());

    /** Copies the sets. */
    public Flags {
        system = system.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(system));
        keywords = Set.copyOf(new TreeSet<>(keywords));
    }

    /** Flags made of system flags only. */
    public static Flags of(Flag... flags) {
        return new Flags(Set.of(flags), Set.of());
    }

    /** Whether the system flag is set. */
    public boolean has(Flag flag) {
        return system.contains(flag);
    }
}
