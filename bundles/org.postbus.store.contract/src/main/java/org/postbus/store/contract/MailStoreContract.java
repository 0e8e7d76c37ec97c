package org.postbus.store.contract;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link org.postbus.api.store.MailStore} keeps, as a client (IMAP, POP3, local
 * delivery) sees it. A store bundle runs the whole suite from one test class:
 *
 * <pre>{@code
 * class FileStoreContractTest extends MailStoreContract {
 *     @Override
 *     protected StoreFixture createFixture(Path dir) throws Exception {
 *         return new FileStoreFixture(dir);
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh fixture over an empty temporary directory and closes it afterwards.
 * The tests are grouped in nested classes, one per part of the contract; their test methods live
 * in {@link MailboxContract}, {@link UidContract}, {@link ContentContract}, {@link FlagContract},
 * {@link ExpungeContract}, {@link CopyMoveContract}, {@link DeliveryContract},
 * {@link ConcurrencyContract}, {@link QuotaContract}, {@link DurabilityContract},
 * {@link EventContract}, {@link ImportContract} and {@link AdministrationContract}, whose javadoc
 * states the semantics the suite settles where the API's javadoc is silent.
 *
 * <p>What the suite asks of the fixture beyond its javadoc: {@code crashAndReopen()} may be called
 * while other threads are inside the store, and from then on the dropped instance and its open
 * mailboxes must fail (or return) rather than hang; anything such a call returned successfully
 * counts as acknowledged. {@code setQuota} takes effect for the next store call.
 */
public abstract class MailStoreContract {

    /** Each test's own directory. */
    @TempDir
    protected Path dir;

    private StoreFixture fixture;

    /**
     * A store over {@code dir}, empty at first. Called once per test.
     *
     * @param dir an empty directory that is removed after the test
     */
    protected abstract StoreFixture createFixture(Path dir) throws Exception;

    @BeforeEach
    final void createStore() throws Exception {
        fixture = createFixture(dir);
    }

    @AfterEach
    final void closeStore() throws Exception {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    final StoreFixture fixture() {
        return fixture;
    }

    @Nested
    @DisplayName("mailboxes")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Mailboxes extends MailboxContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("UIDs")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Uids extends UidContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("message content")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Content extends ContentContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("flags and MODSEQ")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class FlagsAndModSeq extends FlagContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("expunge and VANISHED")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Expunge extends ExpungeContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("copy and move")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class CopyAndMove extends CopyMoveContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("local delivery")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Delivery extends DeliveryContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("concurrent sessions")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Concurrency extends ConcurrencyContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("quota")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Quotas extends QuotaContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("durability")
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Durability extends DurabilityContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("events")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Events extends EventContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("import with UIDs")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Import extends ImportContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }

    @Nested
    @DisplayName("users, subscriptions and checks")
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Administration extends AdministrationContract {
        @Override
        StoreFixture fixture() {
            return MailStoreContract.this.fixture();
        }
    }
}
