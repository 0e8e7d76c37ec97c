package org.postbus.admin.internal.migrate;

import java.util.Optional;
import org.postbus.api.store.StoreException;

/**
 * A migration that could not start (the source is not a Maildir, the target is not empty) or was
 * stopped by the store (over quota, unavailable). The message says what happened in words an
 * administrator can act on; a migration stopped midway carries the report of what was done.
 */
public class MigrationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient MigrationReport partial;

    /** A source or target that cannot be used; nothing was done. */
    public MigrationException(String message) {
        super(message);
        this.partial = null;
    }

    /**
     * A migration stopped midway by the store or by an unreadable source; {@code partial} reports
     * what was done before.
     */
    public MigrationException(String message, Exception cause, MigrationReport partial) {
        super(message, cause);
        this.partial = partial;
    }

    /** The store's refusal, if the store stopped the migration. */
    public Optional<StoreException> storeFailure() {
        return getCause() instanceof StoreException e ? Optional.of(e) : Optional.empty();
    }

    /** The report of what was done before the migration stopped, if anything was. */
    public Optional<MigrationReport> partial() {
        return Optional.ofNullable(partial);
    }
}
