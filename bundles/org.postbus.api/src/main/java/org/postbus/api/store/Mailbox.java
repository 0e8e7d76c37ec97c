package org.postbus.api.store;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open mailbox: its messages, by UID. Obtained from {@link MailStore#open}; one per IMAP
 * SELECT, POP3 session or webmail view. Thread-safe; every read sees a consistent state.
 */
@ProviderType
public interface Mailbox extends AutoCloseable {

    /** The mailbox as listed. */
    MailboxInfo info();

    /** The current counters. */
    MailboxStatus status() throws StoreException;

    /**
     * The UIDs of all messages, ascending: IMAP's map from sequence numbers to UIDs. Cheap even
     * for a million messages (one array, no per-message objects).
     */
    long[] uids() throws StoreException;

    /**
     * The messages whose UIDs lie in the range, in UID order. The stream reads lazily: a client
     * may walk a million messages without holding them; close it when done.
     */
    Stream<MessageMeta> messages(UidRange range) throws StoreException;

    /**
     * The keywords set on the mailbox's messages, for IMAP's FLAGS and PERMANENTFLAGS: every
     * keyword some message has now, in their given case, sorted ignoring case. A store may also
     * keep listing a keyword after the last message lost it. The default walks every message.
     */
    default Set<String> keywords() throws StoreException {
        Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        try (Stream<MessageMeta> messages = messages(UidRange.ALL)) {
            messages.forEach(m -> all.addAll(m.flags().keywords()));
        }
        return all;
    }

    /**
     * The messages changed after {@code modSeq} (CONDSTORE CHANGEDSINCE), in UID order.
     */
    Stream<MessageMeta> changedSince(long modSeq) throws StoreException;

    /**
     * The UIDs expunged after {@code modSeq} (QRESYNC VANISHED), ascending. Complete for any
     * {@code modSeq} at or above {@link #expungeHistoryFrom()}; for an older one the store may
     * have forgotten some, and the caller must treat every UID it knows of and does not find in
     * the mailbox as expunged.
     */
    List<Long> expungedSince(long modSeq) throws StoreException;

    /**
     * The oldest MODSEQ for which {@link #expungedSince} still lists every expunge after it: a
     * store may keep a bounded history (the last so many expunges, or days). 0 when it keeps
     * everything, which the default says.
     */
    default long expungeHistoryFrom() throws StoreException {
        return 0;
    }

    /**
     * The content of one message.
     *
     * @throws StoreException {@code NONEXISTENT} if no message has that UID
     */
    MessageContent content(long uid) throws StoreException;

    /**
     * Appends a message.
     *
     * @return its metadata, with the UID it received
     */
    MessageMeta append(AppendRequest request) throws StoreException;

    /**
     * Changes flags of the messages with the given UIDs. UIDs without a message are skipped.
     *
     * @return the metadata, after the change, of every message the update applied to, whether or
     *     not its flags actually changed (a message whose flags stay the same keeps its MODSEQ);
     *     under a CONDSTORE condition, the messages that failed it are absent, so the caller
     *     reports exactly the absent existing UIDs as MODIFIED
     */
    List<MessageMeta> updateFlags(List<UidRange> uids, FlagUpdate update) throws StoreException;

    /**
     * Copies messages into another mailbox of the same user.
     *
     * @return for each source UID, the UID of its copy (for UIDPLUS COPYUID)
     */
    Map<Long, Long> copy(List<UidRange> uids, String target) throws StoreException;

    /**
     * Moves messages into another mailbox of the same user, atomically (RFC 6851).
     *
     * @return for each source UID, the UID in the target
     */
    Map<Long, Long> move(List<UidRange> uids, String target) throws StoreException;

    /**
     * Expunges the messages flagged {@code \Deleted}, restricted to {@code uids} when it is not
     * {@code null} (UID EXPUNGE).
     *
     * @return the expunged UIDs, ascending
     */
    List<Long> expunge(List<UidRange> uids) throws StoreException;

    /** Releases the handle. */
    @Override
    void close();
}
