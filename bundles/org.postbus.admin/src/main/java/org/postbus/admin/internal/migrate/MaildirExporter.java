package org.postbus.admin.internal.migrate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.postbus.admin.internal.migrate.ExportReport.MailboxExport;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a user's store as a Maildir++ tree that Dovecot reads as its own and that
 * {@link MaildirImporter} reads back unchanged: files {@code cur/<time>.<uid>_<n>.postbus,S=..,W=..:2,<flags>}
 * with LF line ends and the internal date as their mtime, keywords in {@code dovecot-keywords},
 * UIDVALIDITY, UIDNEXT and every UID in {@code dovecot-uidlist}, and the subscriptions.
 */
public final class MaildirExporter {

    private static final Logger LOG = LoggerFactory.getLogger(MaildirExporter.class);

    private final MailStore store;

    public MaildirExporter(MailStore store) {
        this.store = store;
    }

    /** The state of one export, for the report. */
    private static final class Progress {
        final List<MailboxExport> mailboxes = new ArrayList<>();
        final List<Skipped> skipped = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        long messages;
        long counter;
        int subscriptions;

        ExportReport report(MailAddress user, Path root) {
            return new ExportReport(user.toString(), root.toString(), "maildir", mailboxes, messages, skipped,
                    subscriptions, notes);
        }
    }

    /**
     * Writes {@code user}'s mailboxes into a new Maildir at {@code root}.
     *
     * @throws MigrationException if {@code root} exists and is not an empty directory, or cannot
     *     be created (nothing is written then), or if the store or the disk failed midway (the
     *     exception carries what was written)
     */
    public ExportReport exportMaildir(MailAddress user, Path root) throws MigrationException {
        ExportTarget.emptyDirectory(root);
        Progress progress = new Progress();
        LOG.info("Exporting the store of {} as the Maildir {}", user, root);
        String current = null;
        try {
            for (MailboxInfo info : store.mailboxes(user)) {
                current = info.name();
                exportMailbox(user, info, root, progress);
            }
            current = null;
            List<String> subscriptions = store.subscriptions(user);
            Subscriptions.write(root, subscriptions);
            progress.subscriptions = subscriptions.size();
        } catch (StoreException e) {
            throw new MigrationException("the store stopped the export" + (current == null ? "" : " at mailbox " + current)
                    + " after " + progress.messages + " messages: " + e.getMessage(), e, progress.report(user, root));
        } catch (IOException e) {
            throw new MigrationException("writing into " + root + " failed after " + progress.messages + " messages: "
                    + ExportTarget.reason(e), e, progress.report(user, root));
        }
        LOG.info("Exported {} messages in {} mailboxes of {} as the Maildir {}", progress.messages,
                progress.mailboxes.size(), user, root);
        return progress.report(user, root);
    }

    private void exportMailbox(MailAddress user, MailboxInfo info, Path root, Progress progress)
            throws StoreException, IOException {
        boolean inbox = info.name().equals(MailStore.INBOX);
        String shown = inbox ? "." : MaildirFolders.directoryName(info.name());
        Path dir = inbox ? root : root.resolve(shown);
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
        if (!inbox) {
            // Courier and Dovecot mark a Maildir++ folder with this empty file.
            Files.write(dir.resolve("maildirfolder"), new byte[0]);
        }
        Map<String, Character> letters = new LinkedHashMap<>();
        TreeSet<String> dropped = new TreeSet<>();
        List<Map.Entry<Long, String>> uids = new ArrayList<>();
        long count = 0;
        MailboxStatus status;
        try (Mailbox mailbox = store.open(user, info.name());
                Stream<MessageMeta> messages = mailbox.messages(UidRange.ALL)) {
            Iterator<MessageMeta> it = messages.iterator();
            while (it.hasNext()) {
                MessageMeta meta = it.next();
                for (String keyword : new TreeSet<>(meta.flags().keywords())) {
                    if (keyword.equalsIgnoreCase("$Forwarded") || letters.containsKey(keyword)) {
                        continue;
                    }
                    if (letters.size() < DovecotKeywords.MAX) {
                        letters.put(keyword, (char) ('a' + letters.size()));
                    } else {
                        dropped.add(keyword);
                    }
                }
                String base = meta.internalDate().getEpochSecond() + "." + meta.uid() + "_" + ++progress.counter + ".postbus";
                Path tmp = dir.resolve("tmp").resolve(base);
                long[] sizes = write(mailbox, meta, tmp, progress, shown);
                if (sizes.length == 0) {
                    continue;
                }
                String name = base + ",S=" + sizes[0] + ",W=" + sizes[1] + ":2," + MaildirName.letters(meta.flags(), letters);
                Path file = dir.resolve("cur").resolve(name);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                Files.setLastModifiedTime(file, FileTime.from(meta.internalDate()));
                uids.add(new AbstractMap.SimpleImmutableEntry<>(meta.uid(), name));
                count++;
            }
            status = mailbox.status();
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.NONEXISTENT || count > 0) {
                throw e;
            }
            progress.skipped.add(new Skipped(info.name(), "deleted while the export ran"));
            return;
        }
        if (!letters.isEmpty()) {
            DovecotKeywords.write(dir, new ArrayList<>(letters.keySet()));
        }
        if (!dropped.isEmpty()) {
            progress.notes.add(info.name() + ": a Maildir folder holds at most " + DovecotKeywords.MAX
                    + " keywords; these were left out: " + String.join(" ", dropped));
        }
        UidList.write(dir, status.uidValidity(), status.uidNext(), uids);
        progress.mailboxes.add(new MailboxExport(info.name(), shown, count, status.uidValidity(), status.uidNext()));
        progress.messages += count;
    }

    /**
     * Writes one message into {@code tmp} with LF line ends.
     *
     * @return the sizes with LF and with CRLF, or none if the message could not be read (it is
     *     then reported as skipped)
     * @throws IOException if writing failed
     */
    private static long[] write(Mailbox mailbox, MessageMeta meta, Path tmp, Progress progress, String folder)
            throws IOException {
        long crlf = 0;
        try (OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                LfOutputStream out = new LfOutputStream(new BufferedOutputStream(file, 64 * 1024), false)) {
            InputStream content;
            try {
                content = mailbox.content(meta.uid()).open();
            } catch (StoreException | IOException e) {
                throw new UnreadableMessage(e instanceof IOException io ? ExportTarget.reason(io) : e.getMessage());
            }
            try (InputStream in = content) {
                byte[] buf = new byte[64 * 1024];
                while (true) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        throw new UnreadableMessage(ExportTarget.reason(e));
                    }
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    crlf += n;
                }
            }
            out.finish();
            return new long[] {out.written(), crlf};
        } catch (UnreadableMessage e) {
            Files.deleteIfExists(tmp);
            progress.skipped.add(new Skipped(folder + " UID " + meta.uid(), "cannot read the message: " + e.getMessage()));
            return new long[0];
        }
    }

    /** A message whose content could not be read, as opposed to a target that cannot be written. */
    private static final class UnreadableMessage extends IOException {
        private static final long serialVersionUID = 1L;

        UnreadableMessage(String message) {
            super(message);
        }
    }
}
