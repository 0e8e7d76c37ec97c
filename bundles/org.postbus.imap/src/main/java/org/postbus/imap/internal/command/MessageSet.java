package org.postbus.imap.internal.command;

import java.util.ArrayList;
import java.util.List;
import org.postbus.api.store.UidRange;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.SequenceSet;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.imap.internal.session.Selected;

/** Resolves a command's sequence set, by number or by UID, against the selected mailbox. */
final class MessageSet {

    private MessageSet() {
    }

    /**
     * The UIDs the set names among the messages the client knows, ascending.
     *
     * @throws ParseException for a message number beyond the mailbox (RFC 9051: BAD)
     */
    static long[] uids(ImapSession session, SequenceSet set, boolean byUid) throws ParseException {
        Selected s = session.selected();
        if (set.saved()) {
            long[] saved = session.savedSearch();
            List<Long> known = new ArrayList<>();
            for (long uid : saved) {
                if (s.seq(uid) > 0) {
                    known.add(uid);
                }
            }
            return known.stream().mapToLong(Long::longValue).toArray();
        }
        if (byUid) {
            return set.resolveUids(s.uids());
        }
        if (!set.sequenceValid(s.count())) {
            throw new ParseException(s.count() == 0 ? "No messages in the mailbox" : "Invalid message number: the"
                    + " mailbox has " + s.count() + " messages");
        }
        return set.resolveSequence(s.uids());
    }

    /** UIDs as ranges for the store. */
    static List<UidRange> ranges(long[] uids) {
        List<UidRange> out = new ArrayList<>();
        int i = 0;
        while (i < uids.length) {
            int j = i;
            while (j + 1 < uids.length && uids[j + 1] == uids[j] + 1) {
                j++;
            }
            out.add(new UidRange(uids[i], uids[j]));
            i = j + 1;
        }
        return out;
    }
}
