package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.message;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.UidRange;

/** A mailbox of over 100,000 messages: one array for its UIDs, counters without a scan. */
class LargeMailboxTest {

    private static final MailAddress ALICE = addr("alice@example.org");

    @TempDir
    Path dir;

    private Stores stores;

    @BeforeEach
    void open() throws Exception {
        stores = new Stores(dir);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void uidsOfAHundredThousandMessages() throws Exception {
        int count;
        try (Mailbox box = stores.store.open(ALICE, "INBOX")) {
            for (int i = 0; i < 100; i++) {
                box.append(message("Subject: " + i + "\r\n\r\nbody " + i + "\r\n"));
            }
            // Copies into the same mailbox double it without writing content again.
            for (int i = 0; i < 10; i++) {
                Map<Long, Long> copied = box.copy(List.of(UidRange.ALL), "INBOX");
                assertEquals(100 << i, copied.size());
            }
            count = 100 << 10;
            MailboxStatus status = box.status();
            assertEquals(count, status.messages());
            assertEquals(count + 1, status.uidNext());
            long[] uids = box.uids();
            assertEquals(count, uids.length);
            for (int i = 0; i < uids.length; i++) {
                assertEquals(i + 1, uids[i]);
            }
            box.updateFlags(List.of(new UidRange(50_000, 50_009)),
                    FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
            assertEquals(10, box.expunge(null).size());
            long[] left = box.uids();
            assertEquals(count - 10, left.length);
            assertEquals(49_999, left[49_998]);
            assertEquals(50_010, left[49_999], "the expunged UIDs are gone from the sequence map");
            assertEquals(count - 10, box.status().messages());
            try (Stream<MessageMeta> range = box.messages(new UidRange(49_990, 50_020))) {
                assertEquals(21, range.count());
            }
        }
        FileMailStore store = stores.reopen();
        try (Mailbox box = store.open(ALICE, "INBOX")) {
            assertEquals(count - 10, box.uids().length);
            assertTrue(box.status().highestModSeq() > count);
        }
    }
}
