package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.store.file.internal.Stores.addr;
import static org.postbus.store.file.internal.Stores.message;
import static org.postbus.store.file.internal.Stores.read;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.UidRange;
import org.postbus.store.file.internal.SmallRecords.Blob;
import org.postbus.store.file.internal.SmallRecords.Segment;

/**
 * Content is stored once and counted: copies, moves and multi-recipient deliveries share it; the
 * last reference frees it; a segment without live content is deleted.
 */
class SharedContentTest {

    private static final MailAddress ALICE = addr("alice@example.org");
    private static final MailAddress BOB = addr("bob@example.org");
    private static final String BIG = "Subject: big\r\n\r\n" + "y".repeat(1500) + "\r\n";

    @TempDir
    Path dir;

    private Stores stores;
    private FileMailStore store;

    @BeforeEach
    void open() throws Exception {
        // Small segments, so that a few messages roll them.
        stores = new Stores(dir, new FileMailStore.Settings(2048, 4));
        store = stores.store;
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private long refs(long blobId) {
        byte[] b = store.index().blobs.get(blobId);
        return b == null ? 0 : Blob.decode(b).refs();
    }

    private static long blobId(String emailId) {
        return Long.parseLong(emailId.substring(1));
    }

    private static void delete(Mailbox box, UidRange range) throws Exception {
        box.updateFlags(List.of(range), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
        box.expunge(List.of(range));
    }

    @Test
    void copiesShareOneBlobUntilTheLastIsExpunged() throws Exception {
        store.create(ALICE, "Keep", Set.of());
        try (Mailbox inbox = store.open(ALICE, "INBOX"); Mailbox keep = store.open(ALICE, "Keep")) {
            String emailId = inbox.append(message(BIG)).emailId();
            long blob = blobId(emailId);
            assertEquals(1, refs(blob));
            inbox.copy(List.of(UidRange.ALL), "Keep");
            inbox.copy(List.of(UidRange.ALL), "Archive");
            assertEquals(3, refs(blob));
            inbox.move(List.of(UidRange.ALL), "Trash");
            assertEquals(3, refs(blob), "a move keeps the count");
            Path segment = store.segmentPath(1);
            long sizeBefore = Files.size(segment);

            try (Mailbox trash = store.open(ALICE, "Trash")) {
                delete(trash, UidRange.ALL);
            }
            assertEquals(2, refs(blob));
            MessageContent kept = keep.content(1);
            assertEquals(BIG, read(kept, 0, Long.MAX_VALUE));
            store.delete(ALICE, "Archive");
            assertEquals(1, refs(blob));
            assertEquals(sizeBefore, Files.size(segment), "no byte written for copies");

            // Roll the segment, so it is sealed, then drop the last reference.
            inbox.append(message(BIG));
            inbox.append(message(BIG));
            delete(keep, UidRange.ALL);
            assertEquals(0, refs(blob));
            assertFalse(store.index().blobs.containsKey(blob));
            // Deletion of the emptied segment happens once its last write is settled.
            long deadline = System.currentTimeMillis() + 5000;
            while (Files.exists(segment) && System.currentTimeMillis() < deadline) {
                inbox.status();
                Thread.sleep(20);
            }
            assertFalse(Files.exists(segment), "segment without live content deleted");
            assertFalse(store.index().segments.containsKey(1L));
        }
        store = stores.reopen();
        try (Mailbox inbox = store.open(ALICE, "INBOX")) {
            assertEquals(2, inbox.status().messages());
            assertEquals(BIG, read(inbox.content(inbox.uids()[1]), 0, Long.MAX_VALUE));
        }
    }

    @Test
    void deliveryToSeveralUsersStoresTheBytesOnce() throws Exception {
        Map<MailAddress, Long> uids = store.deliver(Map.of(ALICE, "INBOX", BOB, "INBOX"), message(BIG));
        assertEquals(2, uids.size());
        Segment segment = Segment.decode(store.index().segments.get(1L));
        assertEquals(BIG.length(), segment.liveBytes());
        assertEquals(1, segment.liveBlobs());
        try (Mailbox a = store.open(ALICE, "INBOX")) {
            delete(a, UidRange.ALL);
        }
        try (Mailbox b = store.open(BOB, "INBOX")) {
            assertEquals(BIG, read(b.content(1), 0, Long.MAX_VALUE));
            assertEquals(1, refs(blobId(b.messages(UidRange.ALL).findFirst().orElseThrow().emailId())));
        }
        assertEquals(BIG.length(), store.quota(BOB).usedBytes());
        assertEquals(0, store.quota(ALICE).usedBytes());
    }

    @Test
    void liveBytesPerSegmentFollowTheContent() throws Exception {
        try (Mailbox inbox = store.open(ALICE, "INBOX")) {
            inbox.append(message("Subject: a\r\n\r\na\r\n"));
            inbox.append(message("Subject: bb\r\n\r\nbb\r\n"));
            Segment s = Segment.decode(store.index().segments.get(1L));
            assertEquals(2, s.liveBlobs());
            assertEquals(s.committedLength(), s.liveBytes());
            delete(inbox, UidRange.of(1));
            Segment after = Segment.decode(store.index().segments.get(1L));
            assertEquals(1, after.liveBlobs());
            assertEquals("Subject: bb\r\n\r\nbb\r\n".length(), after.liveBytes());
            assertTrue(after.committedLength() > after.liveBytes());
        }
    }
}
