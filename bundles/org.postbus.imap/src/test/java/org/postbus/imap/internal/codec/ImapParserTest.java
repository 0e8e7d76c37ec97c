package org.postbus.imap.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.UidRange;

class ImapParserTest {

    @Test
    void stringsOfEveryForm() throws Exception {
        ImapParser p = new ImapParser("atom \"qu\\\"oted\" NIL \"\"");
        assertEquals("atom", p.astring());
        p.sp();
        assertEquals("qu\"oted", p.astring());
        p.sp();
        assertEquals(null, p.nstring());
        p.sp();
        assertEquals("", p.string());
        p.end();
    }

    @Test
    void sequenceSets() throws Exception {
        SequenceSet set = new ImapParser("1:3,7,*").sequenceSet();
        long[] uids = {10, 11, 12, 13, 14, 15, 16, 17};
        assertArrayEquals(new long[] {10, 11, 12, 16, 17}, set.resolveSequence(uids));
        SequenceSet reversed = new ImapParser("5:2").sequenceSet();
        assertEquals(List.of(new UidRange(2, 5)), reversed.uidRanges(uids));
        assertEquals("1:3,5,9:10", SequenceSet.format(new long[] {1, 2, 3, 5, 9, 10}));
        assertThrows(ParseException.class, () -> new ImapParser("0:3").sequenceSet());
        assertThrows(ParseException.class, () -> new ImapParser("1:x").sequenceSet());
    }

    @Test
    void malformedInputIsAParseException() {
        assertThrows(ParseException.class, () -> new ImapParser("\"open").string());
        assertThrows(ParseException.class, () -> new ImapParser("{5}").literal());
        assertThrows(ParseException.class, () -> new ImapParser("(a b").flagList(false));
    }
}
