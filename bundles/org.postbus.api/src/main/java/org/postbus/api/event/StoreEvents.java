package org.postbus.api.event;

/**
 * Topics and properties of the events the mail store posts through the OSGi Event Admin, after
 * each change is durable. Listeners (the search index, IMAP IDLE, metrics, plugins) subscribe with
 * {@code event.topics=org/postbus/store/*}. Events are posted asynchronously: nothing in the
 * delivery path waits for a listener.
 */
public final class StoreEvents {

    private StoreEvents() {
    }

    /** Prefix of every store topic. */
    public static final String TOPIC_PREFIX = "org/postbus/store/";

    /** Messages were added to a mailbox (delivery, APPEND, COPY, MOVE). */
    public static final String MESSAGES_ADDED = TOPIC_PREFIX + "MESSAGES_ADDED";

    /** Flags of messages changed. */
    public static final String FLAGS_CHANGED = TOPIC_PREFIX + "FLAGS_CHANGED";

    /** Messages were expunged from a mailbox. */
    public static final String MESSAGES_EXPUNGED = TOPIC_PREFIX + "MESSAGES_EXPUNGED";

    /** A mailbox was created. */
    public static final String MAILBOX_CREATED = TOPIC_PREFIX + "MAILBOX_CREATED";

    /** A mailbox was renamed; {@link #OLD_MAILBOX} holds the old name. */
    public static final String MAILBOX_RENAMED = TOPIC_PREFIX + "MAILBOX_RENAMED";

    /** A mailbox was deleted. */
    public static final String MAILBOX_DELETED = TOPIC_PREFIX + "MAILBOX_DELETED";

    /** Property: the user, as the text of a {@code MailAddress} ({@code String}). */
    public static final String USER = "user";

    /** Property: the mailbox name ({@code String}). */
    public static final String MAILBOX = "mailbox";

    /** Property: the stable mailbox identity ({@code String}). */
    public static final String MAILBOX_ID = "mailbox.id";

    /** Property: the former name of a renamed mailbox ({@code String}). */
    public static final String OLD_MAILBOX = "mailbox.old";

    /** Property: the mailbox's UIDVALIDITY ({@code Long}). */
    public static final String UIDVALIDITY = "uidvalidity";

    /** Property: the UIDs concerned, ascending ({@code long[]}). */
    public static final String UIDS = "uids";

    /** Property: the mailbox's HIGHESTMODSEQ after the change ({@code Long}). */
    public static final String MODSEQ = "modseq";
}
