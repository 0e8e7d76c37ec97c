package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.message;
import static org.postbus.store.file.internal.Stores.read;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageMeta;

/**
 * An interrupt closes any file channel the interrupted thread is using; a session thread being
 * interrupted must not break the store's shared files for everyone else.
 */
class InterruptTest {

    private static final MailAddress ALICE = addr("alice@example.org");

    @TempDir
    Path dir;

    @Test
    void anInterruptedWriterDoesNotBreakTheStore() throws Exception {
        Stores stores = new Stores(dir);
        try (Mailbox box = stores.store.open(ALICE, "INBOX")) {
            box.append(message("Subject: before\r\n\r\nbefore\r\n"));
            AtomicReference<Object> outcome = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread t = new Thread(() -> {
                Thread.currentThread().interrupt();
                try {
                    outcome.set(box.append(message("Subject: interrupted\r\n\r\ninterrupted\r\n")));
                } catch (Exception e) {
                    outcome.set(e);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            t.start();
            t.join();
            assertTrue(outcome.get() instanceof MessageMeta, "append completes: " + outcome.get());
            assertTrue(stillInterrupted.get(), "the interrupt is kept for the caller");
            MessageMeta after = box.append(message("Subject: after\r\n\r\nafter\r\n"));
            assertEquals(3, after.uid());
            assertEquals("after", read(box.content(3), 18, 5));
            assertEquals("interrupted", read(box.content(2), 24, 11));
        } finally {
            stores.close();
        }
    }
}
