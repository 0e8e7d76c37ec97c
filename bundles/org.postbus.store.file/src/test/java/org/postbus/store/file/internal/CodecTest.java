package org.postbus.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.Flag;

/** Index records come back as written, and stay small. */
class CodecTest {

    @Test
    void numbersOfEveryRange() {
        long[] values = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        Codec.Out out = new Codec.Out();
        for (long v : values) {
            out.signed(v);
        }
        out.var(Long.MAX_VALUE).string("Grüße");
        Codec.In in = new Codec.In(out.bytes());
        for (long v : values) {
            assertEquals(v, in.signed());
        }
        assertEquals(Long.MAX_VALUE, in.var());
        assertEquals("Grüße", in.string());
    }

    @Test
    void messageRecordRoundTripsInUnderFiftyBytes() {
        MessageRecord m = new MessageRecord(123_456, MessageRecord.bit(Flag.SEEN) | MessageRecord.bit(Flag.DELETED),
                new long[] {3, 70}, Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("2024-05-01T10:00:00.123Z"),
                51_200, 9_000_000, 12, 60_000_000, 77);
        byte[] bytes = m.encode();
        assertTrue(bytes.length < 50, bytes.length + " bytes");
        MessageRecord back = MessageRecord.decode(bytes);
        assertEquals(m.modSeq, back.modSeq);
        assertEquals(m.flags, back.flags);
        assertArrayEquals(m.keywords, back.keywords);
        assertEquals(m.internalDate, back.internalDate);
        assertEquals(m.saveDate, back.saveDate);
        assertEquals(m.size, back.size);
        assertEquals(m.blobId, back.blobId);
        assertEquals(m.segment, back.segment);
        assertEquals(m.offset, back.offset);
        assertEquals(m.threadId, back.threadId);
    }

    @Test
    void mailboxRecordRoundTrips() {
        MailboxRecord r = new MailboxRecord(5, 7, "Work/Ärger", 1_700_000_000, 3);
        r.uidNext = 100;
        r.highestModSeq = 555;
        r.messages = 99;
        r.unseen = 4;
        r.deleted = 2;
        r.size = 1 << 30;
        MailboxRecord back = MailboxRecord.decode(5, r.encode());
        assertEquals(r.name, back.name);
        assertEquals(r.userId, back.userId);
        assertEquals(r.uidValidity, back.uidValidity);
        assertEquals(r.uidNext, back.uidNext);
        assertEquals(r.highestModSeq, back.highestModSeq);
        assertEquals(r.specialUse, back.specialUse);
        assertEquals(r.messages, back.messages);
        assertEquals(r.unseen, back.unseen);
        assertEquals(r.deleted, back.deleted);
        assertEquals(r.size, back.size);
        assertEquals(MailboxRecord.Keywords.KNOWN, back.keywords());
        assertArrayEquals(new long[0], back.keywordIds());
    }

    @Test
    void mailboxRecordKeepsItsKeywordListInAFewBytesAKeyword() {
        MailboxRecord r = new MailboxRecord(5, 7, "INBOX", 1_700_000_000, 0);
        r.addKeywords(new long[] {300, 2});
        r.addKeywords(new long[] {5, 2, 70_000});
        assertArrayEquals(new long[] {2, 5, 300, 70_000}, r.keywordIds());
        MailboxRecord back = MailboxRecord.decode(5, r.encode());
        assertEquals(MailboxRecord.Keywords.KNOWN, back.keywords());
        assertArrayEquals(r.keywordIds(), back.keywordIds());

        long[] cap = new long[MailboxRecord.MAX_KEYWORDS];
        for (int i = 0; i < cap.length; i++) {
            cap[i] = 1000 + 3L * i;
        }
        r.setKeywords(cap);
        byte[] bytes = r.encode();
        assertTrue(bytes.length < 1100, bytes.length + " bytes for " + cap.length + " keywords");
        assertArrayEquals(cap, MailboxRecord.decode(5, bytes).keywordIds());

        r.addKeywords(new long[] {1});
        assertEquals(MailboxRecord.Keywords.TOO_MANY, r.keywords());
        assertEquals(MailboxRecord.Keywords.TOO_MANY, MailboxRecord.decode(5, r.encode()).keywords());
        r.clearKeywords();
        assertEquals(MailboxRecord.Keywords.KNOWN, r.keywords());
        assertArrayEquals(new long[0], MailboxRecord.decode(5, r.encode()).keywordIds());
    }

    @Test
    void mailboxRecordOfFormatOneHasNoKeywordListAndReadersOfFormatOneReadFormatTwo() {
        MailboxRecord r = new MailboxRecord(5, 7, "Work", 1_700_000_000, 2);
        r.uidNext = 40;
        r.messages = 39;
        r.size = 123_456;
        r.addKeywords(new long[] {9});
        byte[] old = r.encode(1);
        MailboxRecord back = MailboxRecord.decode(5, old);
        assertEquals(MailboxRecord.Keywords.UNKNOWN, back.keywords());
        assertEquals(40, back.uidNext);
        assertEquals(39, back.messages);
        assertEquals(123_456, back.size);
        back.addKeywords(new long[] {9});
        assertEquals(MailboxRecord.Keywords.UNKNOWN, back.keywords(), "a partial list would be wrong");
        assertEquals(MailboxRecord.Keywords.UNKNOWN, MailboxRecord.decode(5, back.encode()).keywords(),
                "unknown stays unknown in format 2");

        // Format 1 code reads the fields it knows from the front and ignores the rest.
        byte[] current = r.encode();
        assertEquals(3, current[0]);
        assertArrayEquals(Arrays.copyOfRange(old, 1, old.length), Arrays.copyOfRange(current, 1, old.length));
    }

    @Test
    void mailboxRecordOfFormatTwoHasDroppedNoHistoryAndReadersOfFormatTwoReadFormatThree() {
        MailboxRecord r = new MailboxRecord(5, 7, "Work", 1_700_000_000, 2);
        r.uidNext = 40;
        r.highestModSeq = 900;
        r.addKeywords(new long[] {3, 9});
        r.historyFrom = 812;
        MailboxRecord back = MailboxRecord.decode(5, r.encode());
        assertEquals(812, back.historyFrom);
        assertArrayEquals(new long[] {3, 9}, back.keywordIds());
        assertEquals(900, back.highestModSeq);

        byte[] old = r.encode(2);
        MailboxRecord fromOld = MailboxRecord.decode(5, old);
        assertEquals(0, fromOld.historyFrom, "an older record has dropped nothing");
        assertArrayEquals(new long[] {3, 9}, fromOld.keywordIds());
        assertEquals(900, fromOld.highestModSeq);

        // Format 2 code reads everything it knows from the front; the history mark comes after.
        byte[] current = r.encode();
        assertArrayEquals(Arrays.copyOfRange(old, 1, old.length), Arrays.copyOfRange(current, 1, old.length));
        assertTrue(current.length > old.length);
    }
}
