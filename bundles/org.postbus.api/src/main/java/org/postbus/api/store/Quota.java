package org.postbus.api.store;

/**
 * A user's storage use against the limit (RFC 9208 STORAGE resource, in bytes).
 *
 * @param usedBytes bytes stored
 * @param limitBytes the limit, or {@code -1} for none
 * @param messages number of messages stored
 */
public record Quota(long usedBytes, long limitBytes, long messages) {
}
