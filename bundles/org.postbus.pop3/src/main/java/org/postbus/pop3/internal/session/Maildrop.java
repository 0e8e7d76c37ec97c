package org.postbus.pop3.internal.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;

/**
 * A user's INBOX as one POP3 session sees it: the messages present at login, numbered from 1,
 * with the session's deletion marks. Messages that arrive later are seen by the next session.
 *
 * <p>No lock is held on the mailbox. Several sessions of one user may each hold a maildrop;
 * each applies at QUIT exactly the deletions it marked (by UID), so one cannot remove what
 * another did not mark, and a message one removed is answered with {@code -ERR} by the other.
 * IMAP sessions go on beside them the same way.
 */
public final class Maildrop implements AutoCloseable {

    private final Mailbox mailbox;
    private final long uidValidity;
    private final long[] uids;
    private final long[] sizes;
    private final BitSet deleted = new BitSet();
    private final BitSet retrieved = new BitSet();

    private Maildrop(Mailbox mailbox, long uidValidity, long[] uids, long[] sizes) {
        this.mailbox = mailbox;
        this.uidValidity = uidValidity;
        this.uids = uids;
        this.sizes = sizes;
    }

    /** Opens the INBOX of {@code user} and takes its snapshot. */
    public static Maildrop open(MailStore store, MailAddress user) throws StoreException {
        Mailbox mailbox = store.open(user, MailStore.INBOX);
        try {
            MailboxStatus status = mailbox.status();
            // Two arrays rather than a list of records: a maildrop of a million messages stays small.
            int expected = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, status.messages()));
            long[][] columns = {new long[expected], new long[expected]};
            int[] count = {0};
            try (Stream<MessageMeta> messages = mailbox.messages(UidRange.ALL)) {
                messages.forEach(meta -> {
                    if (count[0] == columns[0].length) {
                        columns[0] = Arrays.copyOf(columns[0], count[0] * 2);
                        columns[1] = Arrays.copyOf(columns[1], count[0] * 2);
                    }
                    columns[0][count[0]] = meta.uid();
                    columns[1][count[0]] = meta.size();
                    count[0]++;
                });
            }
            return new Maildrop(mailbox, status.uidValidity(), Arrays.copyOf(columns[0], count[0]),
                    Arrays.copyOf(columns[1], count[0]));
        } catch (StoreException | RuntimeException e) {
            mailbox.close();
            throw e;
        }
    }

    /** How many messages the snapshot holds, deleted ones included: the highest message number. */
    public int size() {
        return uids.length;
    }

    /** Whether {@code number} names a message of the snapshot. */
    public boolean exists(long number) {
        return number >= 1 && number <= uids.length;
    }

    /** Whether message {@code number} is marked deleted. */
    public boolean deleted(int number) {
        return deleted.get(number - 1);
    }

    /** Messages not marked deleted. */
    public int count() {
        return uids.length - deleted.cardinality();
    }

    /** The total size of the messages not marked deleted, in octets. */
    public long octets() {
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (!deleted.get(i)) {
                total += sizes[i];
            }
        }
        return total;
    }

    /** The size of message {@code number} with CRLF line ends, as LIST gives it. */
    public long octets(int number) {
        return sizes[number - 1];
    }

    /**
     * The unique-id of message {@code number} (RFC 1939 7): its UID and the mailbox's UIDVALIDITY,
     * each as eight hex digits, as Dovecot's default {@code %08Xu%08Xv}. Both are kept by the
     * store, so the id survives sessions and restarts, and a client moving from Dovecot keeps its
     * list of messages seen.
     */
    public String uniqueId(int number) {
        return String.format(Locale.ROOT, "%08X%08X", uids[number - 1], uidValidity);
    }

    /** The content of message {@code number}; marks it retrieved. */
    public MessageContent content(int number) throws StoreException {
        MessageContent content = mailbox.content(uids[number - 1]);
        retrieved.set(number - 1);
        return content;
    }

    /** Marks message {@code number} deleted. */
    public void delete(int number) {
        deleted.set(number - 1);
    }

    /** Unmarks every deleted message (RSET). */
    public void reset() {
        deleted.clear();
    }

    /**
     * The UPDATE state (RFC 1939 6): retrieved messages that stay get {@code \Seen}; the messages
     * marked deleted get {@code \Deleted} and exactly those are expunged.
     *
     * @return how many messages were expunged
     */
    public int commit() throws StoreException {
        BitSet seen = (BitSet) retrieved.clone();
        seen.andNot(deleted);
        if (!seen.isEmpty()) {
            mailbox.updateFlags(ranges(seen), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.SEEN)));
        }
        if (deleted.isEmpty()) {
            return 0;
        }
        List<UidRange> marked = ranges(deleted);
        mailbox.updateFlags(marked, FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
        return mailbox.expunge(marked).size();
    }

    /** How many messages were marked deleted. */
    public int marked() {
        return deleted.cardinality();
    }

    @Override
    public void close() {
        mailbox.close();
    }

    /** The UIDs of the numbers in {@code set}, as ranges of consecutive UIDs. */
    private List<UidRange> ranges(BitSet set) {
        List<UidRange> ranges = new ArrayList<>();
        long first = -1;
        long last = -1;
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            long uid = uids[i];
            if (first < 0) {
                first = uid;
            } else if (uid != last + 1) {
                ranges.add(new UidRange(first, last));
                first = uid;
            }
            last = uid;
        }
        if (first >= 0) {
            ranges.add(new UidRange(first, last));
        }
        return ranges;
    }
}
