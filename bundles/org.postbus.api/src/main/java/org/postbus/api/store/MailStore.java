package org.postbus.api.store;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;
import org.postbus.api.mail.MailAddress;

/**
 * The mail store: every user's mailboxes and messages. Registered as an OSGi service by a store
 * bundle (the embedded default, or another backend); IMAP, POP3, local delivery and the webmail
 * all read and write through it.
 *
 * <p>Durability: a method that stores or changes something returns only when the change is on
 * disk; what it returned survives a crash. Concurrency: every method is thread-safe, and each
 * change is posted as an event (see {@code org.postbus.api.event.StoreEvents}) after it is durable.
 *
 * <p>Mailbox names are full names with levels separated by {@link #HIERARCHY_SEPARATOR}, in
 * Unicode (protocols convert from modified UTF-7). {@link #INBOX} is matched without case.
 */
@ProviderType
public interface MailStore {

    /** The separator between levels of mailbox names. */
    char HIERARCHY_SEPARATOR = '/';

    /** The name of every user's inbox. */
    String INBOX = "INBOX";

    /** A user's mailboxes, sorted by name; creates the INBOX on first use. */
    List<MailboxInfo> mailboxes(MailAddress user) throws StoreException;

    /**
     * Creates a mailbox (and any missing parents).
     *
     * @throws StoreException {@code ALREADY_EXISTS}, {@code INVALID_NAME}
     */
    MailboxInfo create(MailAddress user, String name, Set<SpecialUse> specialUse)
            throws StoreException;

    /**
     * Renames a mailbox and its children, keeping their identity. Renaming INBOX moves its
     * messages to the new mailbox and leaves an empty INBOX (RFC 9051 section 6.3.6).
     */
    void rename(MailAddress user, String from, String to) throws StoreException;

    /** Deletes a mailbox and its messages; children stay. */
    void delete(MailAddress user, String name) throws StoreException;

    /** Subscribes to a mailbox name, or unsubscribes. The name need not exist. */
    void subscribe(MailAddress user, String name, boolean subscribed) throws StoreException;

    /**
     * Opens a mailbox for reading and changing its messages. The handle sees changes made through
     * other handles; close it when done.
     *
     * @throws StoreException {@code NONEXISTENT}
     */
    Mailbox open(MailAddress user, String name) throws StoreException;

    /**
     * Stores one message into the given mailboxes of several users at once, as local delivery
     * does: the bytes are kept once and shared.
     *
     * @param targets for each user, the mailbox to file into (missing ones fall back to INBOX)
     * @return for each user, the UID the message received
     * @throws StoreException if it could not be stored for anyone; nothing is stored then
     */
    Map<MailAddress, Long> deliver(Map<MailAddress, String> targets, AppendRequest message)
            throws StoreException;

    /** A user's storage use and limit. */
    Quota quota(MailAddress user) throws StoreException;

    /**
     * The mailbox names the user subscribes to, sorted, including names that do not exist
     * (IMAP LSUB and {@code LIST (SUBSCRIBED)} show those too).
     */
    List<String> subscriptions(MailAddress user) throws StoreException;

    /**
     * The users that have a store here, sorted by address (for export, checks and
     * administration).
     */
    List<MailAddress> users() throws StoreException;

    /**
     * Migrates a mailbox from another server keeping its UIDs: creates the mailbox (and missing
     * parents) if needed and stores the messages under the given UIDs, with the given
     * UIDVALIDITY, in one durable step. Allowed only while the mailbox has never held a message
     * (its UIDNEXT is still 1); otherwise the caller appends, and the messages get new UIDs.
     *
     * @param uidValidity the source mailbox's UIDVALIDITY, at least 1
     * @param uidNext the source mailbox's UIDNEXT: above every imported UID
     * @param messages the messages, in ascending UID order, UIDs distinct
     * @return the mailbox as it now is
     * @throws StoreException {@code NOT_ALLOWED} if the mailbox already holds or held messages,
     *     {@code OVER_QUOTA}, {@code INVALID_NAME}; nothing is stored then
     */
    MailboxInfo importMailbox(MailAddress user, String name, long uidValidity, long uidNext,
            List<ImportedMessage> messages) throws StoreException;

    /**
     * Checks a user's store for inconsistencies (counters, references to message content,
     * UID and MODSEQ order) and, if {@code repair} is set, repairs what it can without losing
     * a message: counters are recomputed, unreadable messages are removed and listed.
     */
    CheckReport check(MailAddress user, boolean repair) throws StoreException;
}
