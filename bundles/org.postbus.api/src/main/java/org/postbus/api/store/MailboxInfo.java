package org.postbus.api.store;

import java.util.Objects;
import java.util.Set;

/**
 * A mailbox in a user's tree, as LIST shows it.
 *
 * @param name the full name, levels separated by {@link MailStore#HIERARCHY_SEPARATOR}; the
 *     inbox is always {@link MailStore#INBOX}
 * @param id the mailbox's stable identity (RFC 8474 MAILBOXID); survives renames
 * @param uidValidity the current UIDVALIDITY
 * @param specialUse the special-use roles of the mailbox
 * @param subscribed whether the user subscribes to it
 */
public record MailboxInfo(String name, String id, long uidValidity, Set<SpecialUse> specialUse,
        boolean subscribed) {

    /** Checks the parts and copies the set. */
    public MailboxInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        specialUse = Set.copyOf(specialUse);
    }
}
