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
}
