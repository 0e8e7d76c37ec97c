package org.postbus.api.store;

import java.util.Objects;

/**
 * A message brought over from another server, with the UID it had there, so that clients that
 * cached it (IMAP, POP3 UIDL) see the same message under the same UID after the migration.
 *
 * @param uid its UID in the source mailbox, at least 1
 * @param message its content, flags and internal date
 */
public record ImportedMessage(long uid, AppendRequest message) {

    /** Checks the UID and that the message is present. */
    public ImportedMessage {
        if (uid < 1) {
            throw new IllegalArgumentException("a UID is at least 1: " + uid);
        }
        Objects.requireNonNull(message, "message");
    }
}
