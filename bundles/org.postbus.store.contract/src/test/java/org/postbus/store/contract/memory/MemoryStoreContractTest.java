package org.postbus.store.contract.memory;

import java.nio.file.Path;
import org.postbus.store.contract.MailStoreContract;
import org.postbus.store.contract.StoreFixture;

/**
 * The suite against a store kept in memory, from another package as a store bundle would run
 * it: shows the suite is consistent and reachable through {@link MailStoreContract} alone.
 */
class MemoryStoreContractTest extends MailStoreContract {

    @Override
    protected StoreFixture createFixture(Path dir) {
        return new MemoryStoreFixture();
    }
}
