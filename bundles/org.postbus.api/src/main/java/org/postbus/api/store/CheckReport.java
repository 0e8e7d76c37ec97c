package org.postbus.api.store;

import java.util.List;

/**
 * What a consistency check of a user's store found, and what it repaired.
 *
 * @param user the user checked, as text
 * @param mailboxes how many mailboxes were checked
 * @param messages how many messages were checked
 * @param problems each inconsistency found, in words an administrator can act on; empty if none
 * @param repaired whether the problems were repaired (only when a repair was asked for)
 */
public record CheckReport(String user, int mailboxes, long messages, List<String> problems, boolean repaired) {

    /** Copies the list. */
    public CheckReport {
        problems = List.copyOf(problems);
    }

    /** Whether nothing was wrong. */
    public boolean clean() {
        return problems.isEmpty();
    }
}
