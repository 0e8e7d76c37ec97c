package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postbus.admin.internal.migrate.ImportReport.MailboxImport;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports an mbox file (mboxrd, or mboxo as older tools write it) into one mailbox of a user's
 * store, by appending: an mbox keeps no UIDs. The status headers become flags and stay in the
 * message, which keeps it as it was; an export writes them afresh.
 */
public final class MboxImporter {

    private static final Logger LOG = LoggerFactory.getLogger(MboxImporter.class);

    private final MailStore store;

    public MboxImporter(MailStore store) {
        this.store = store;
    }

    /**
     * Appends the messages of {@code file} to {@code mailbox} (created if missing) of {@code user}.
     *
     * @param mailbox the target mailbox; {@code null} or empty for INBOX
     * @throws MigrationException if the file is not a readable mbox or the mailbox name is not
     *     allowed (nothing is imported then), or if the store or the file failed midway (the
     *     exception carries what was imported)
     */
    public ImportReport importMbox(MailAddress user, Path file, String mailbox) throws MigrationException {
        String name = mailbox == null || mailbox.isBlank() || mailbox.equalsIgnoreCase(MailStore.INBOX)
                ? MailStore.INBOX : mailbox;
        if (!Files.isRegularFile(file)) {
            throw new MigrationException(Files.exists(file) ? file + " is not a file" : "no such file: " + file);
        }
        try (InputStream probe = Files.newInputStream(file)) {
            probe.read();
        } catch (IOException e) {
            throw new MigrationException(file + ": " + Skipped.reason(e));
        }
        List<Skipped> skipped = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long count = 0;
        long undated = 0;
        long uidValidity = 0;
        try (MboxReader reader = new MboxReader(file)) {
            store.mailboxes(user);
            if (!name.equals(MailStore.INBOX)) {
                create(user, name);
            }
            LOG.info("Importing the mbox {} into {} of {}", file, name, user);
            Instant fallback = Files.getLastModifiedTime(file).toInstant();
            try (Mailbox target = store.open(user, name)) {
                uidValidity = target.info().uidValidity();
                long number = 0;
                for (Optional<MboxReader.Entry> next = reader.next(); next.isPresent(); next = reader.next()) {
                    MboxReader.Entry entry = next.get();
                    number++;
                    if (entry.end() == entry.start()) {
                        skipped.add(new Skipped("message " + number + " (byte " + entry.start() + ")", "empty message"));
                        continue;
                    }
                    if (entry.date().isEmpty()) {
                        undated++;
                    }
                    target.append(new AppendRequest(CrlfFileContent.mboxRegion(file, entry.start(), entry.end()),
                            entry.flags(), entry.date().orElse(fallback)));
                    count++;
                }
            }
        } catch (StoreException e) {
            if (count == 0 && e.reason() == StoreException.Reason.INVALID_NAME) {
                throw new MigrationException(e.getMessage());
            }
            throw new MigrationException("the store stopped the import after " + count + " messages: " + e.getMessage(), e,
                    report(user, file, name, count, uidValidity, skipped, notes));
        } catch (IOException e) {
            throw new MigrationException("reading " + file + " failed after " + count + " messages: " + Skipped.reason(e), e,
                    report(user, file, name, count, uidValidity, skipped, notes));
        }
        if (undated > 0) {
            notes.add(undated + " messages had no readable date in their From line; they got the file's time");
        }
        LOG.info("Imported {} messages from the mbox {} into {} of {}", count, file, name, user);
        return report(user, file, name, count, uidValidity, skipped, notes);
    }

    private void create(MailAddress user, String name) throws StoreException {
        try {
            store.create(user, name, Set.of());
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    private static ImportReport report(MailAddress user, Path file, String name, long count, long uidValidity,
            List<Skipped> skipped, List<String> notes) {
        MailboxImport mailbox = new MailboxImport(name, file.getFileName().toString(), count, false, uidValidity,
                "new UIDs: an mbox keeps none");
        return new ImportReport(user.toString(), file.toString(), "mbox", List.of(mailbox), count, skipped, 0, notes);
    }
}
