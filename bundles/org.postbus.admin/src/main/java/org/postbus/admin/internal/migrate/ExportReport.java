package org.postbus.admin.internal.migrate;

import java.util.List;

/**
 * What an export wrote; the REST API answers with it as JSON.
 *
 * @param user the user exported
 * @param target the Maildir or the directory of mbox files on the server
 * @param format {@code maildir} or {@code mbox}
 * @param mailboxes each mailbox written
 * @param messages how many messages were written in all
 * @param skipped the messages and mailboxes left out, with the reason
 * @param subscriptions how many subscriptions were written (Maildir only)
 * @param notes what else an administrator should know (keywords a Maildir cannot hold)
 */
public record ExportReport(String user, String target, String format, List<MailboxExport> mailboxes,
        long messages, List<Skipped> skipped, int subscriptions, List<String> notes) implements MigrationReport {

    /** Copies the lists. */
    public ExportReport {
        mailboxes = List.copyOf(mailboxes);
        skipped = List.copyOf(skipped);
        notes = List.copyOf(notes);
    }

    /**
     * One mailbox of an export.
     *
     * @param name the mailbox in the store
     * @param target the folder ({@code .} for the inbox) or file written, relative to the target
     * @param messages how many messages were written
     * @param uidValidity its UIDVALIDITY (kept in the Maildir's {@code dovecot-uidlist})
     * @param uidNext its UIDNEXT
     */
    public record MailboxExport(String name, String target, long messages, long uidValidity, long uidNext) {
    }
}
