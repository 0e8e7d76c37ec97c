package org.postbus.admin.internal.migrate;

import java.util.List;

/**
 * What an import did; the REST API answers with it as JSON.
 *
 * @param user the user imported into
 * @param source the Maildir or mbox file on the server
 * @param format {@code maildir} or {@code mbox}
 * @param mailboxes each mailbox filled, in the order imported
 * @param messages how many messages were imported in all
 * @param skipped the files and folders left out, with the reason
 * @param subscriptions how many subscriptions were imported
 * @param notes what else an administrator should know (a keyword without a name, a UID list that
 *     could not be used)
 */
public record ImportReport(String user, String source, String format, List<MailboxImport> mailboxes,
        long messages, List<Skipped> skipped, int subscriptions, List<String> notes) implements MigrationReport {

    /** Copies the lists. */
    public ImportReport {
        mailboxes = List.copyOf(mailboxes);
        skipped = List.copyOf(skipped);
        notes = List.copyOf(notes);
    }

    /**
     * One mailbox of an import.
     *
     * @param name the mailbox in the store
     * @param source the folder it came from ({@code .} for the Maildir's inbox) or the mbox file
     * @param messages how many messages it received
     * @param uidsKept whether they kept the UIDs they had (the folder had a UID list and the
     *     mailbox had never held a message); otherwise they were appended with new UIDs
     * @param uidValidity the mailbox's UIDVALIDITY after the import
     * @param note why the UIDs were not kept, or empty
     */
    public record MailboxImport(String name, String source, long messages, boolean uidsKept, long uidValidity,
            String note) {
    }
}
