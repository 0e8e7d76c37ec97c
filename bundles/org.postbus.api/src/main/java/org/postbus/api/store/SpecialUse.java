package org.postbus.api.store;

/**
 * The special-use roles of mailboxes (RFC 6154), by which clients find Sent, Drafts and the rest
 * whatever their names.
 */
public enum SpecialUse {
    /** {@code \All}: a virtual mailbox of all messages. */
    ALL("\\All"),
    /** {@code \Archive}. */
    ARCHIVE("\\Archive"),
    /** {@code \Drafts}. */
    DRAFTS("\\Drafts"),
    /** {@code \Flagged}: a virtual mailbox of flagged messages. */
    FLAGGED("\\Flagged"),
    /** {@code \Junk}: where spam goes. */
    JUNK("\\Junk"),
    /** {@code \Sent}. */
    SENT("\\Sent"),
    /** {@code \Trash}. */
    TRASH("\\Trash");

    private final String imapName;

    SpecialUse(String imapName) {
        this.imapName = imapName;
    }

    /** The attribute as IMAP writes it. */
    public String imapName() {
        return imapName;
    }
}
