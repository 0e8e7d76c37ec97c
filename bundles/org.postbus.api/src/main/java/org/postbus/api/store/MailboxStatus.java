package org.postbus.api.store;

/**
 * The counters of a mailbox at one moment, as SELECT and STATUS report them.
 *
 * @param messages number of messages
 * @param unseen number of messages without {@code \Seen}
 * @param recent number of messages new since the last session that looked (IMAP4rev1 only)
 * @param uidNext the UID the next message will get
 * @param uidValidity the UIDVALIDITY; when it changes, every cached UID is void
 * @param highestModSeq the highest MODSEQ of any change in the mailbox (RFC 7162)
 * @param size the total size of the messages in bytes (RFC 8438)
 * @param deleted number of messages with {@code \Deleted}
 */
public record MailboxStatus(long messages, long unseen, long recent, long uidNext,
        long uidValidity, long highestModSeq, long size, long deleted) {
}
