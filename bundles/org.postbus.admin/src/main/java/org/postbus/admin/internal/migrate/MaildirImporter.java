package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.postbus.admin.internal.migrate.ImportReport.MailboxImport;
import org.postbus.admin.internal.migrate.MaildirFolders.Folder;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flags;
import org.postbus.api.store.ImportedMessage;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a Maildir, as Dovecot and Courier write it, into a user's store: the inbox and the
 * Maildir++ folders, flags from the file names, keywords through {@code dovecot-keywords}, and
 * subscriptions. A folder with a UID list ({@code dovecot-uidlist}, {@code courierimapuiddb})
 * keeps its UIDs and UIDVALIDITY through {@link MailStore#importMailbox}, so that IMAP clients
 * and POP3 UIDL caches stay valid; without one, or if the mailbox already held messages, the
 * messages are appended in delivery order and get new UIDs, and the report says so.
 */
public final class MaildirImporter {

    private static final Logger LOG = LoggerFactory.getLogger(MaildirImporter.class);

    /** The first bytes of files compressed by Dovecot's zlib plugin (gzip, bzip2, xz, zstd, lz4). */
    private static final byte[][] COMPRESSED = {
        {0x1f, (byte) 0x8b}, {'B', 'Z', 'h'}, {(byte) 0xfd, '7', 'z', 'X', 'Z', 0},
        {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, {0x04, 0x22, 0x4d, 0x18}};

    private final MailStore store;

    public MaildirImporter(MailStore store) {
        this.store = store;
    }

    /** A message file about to be imported. */
    private record Source(MaildirName name, String shown, Flags flags, Instant internalDate, CrlfFileContent content) {

        AppendRequest request() {
            return new AppendRequest(content, flags, internalDate);
        }
    }

    /** Delivery order: the time in the file name, then the name. */
    private static final Comparator<Source> DELIVERY_ORDER = Comparator
            .comparingLong((Source s) -> s.name().time() < 0 ? Long.MAX_VALUE : s.name().time())
            .thenComparing(s -> s.name().fileName());

    /** The state of one import, for the report. */
    private static final class Progress {
        final List<MailboxImport> mailboxes = new ArrayList<>();
        final List<Skipped> skipped = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        long messages;
        int subscriptions;

        ImportReport report(MailAddress user, Path root) {
            return new ImportReport(user.toString(), root.toString(), "maildir", mailboxes, messages, skipped,
                    subscriptions, notes);
        }
    }

    /**
     * Imports the Maildir at {@code root} into {@code user}'s store.
     *
     * @throws MigrationException if {@code root} is not a readable Maildir (nothing is imported
     *     then), or if the store refused to go on (the exception carries what was imported)
     */
    public ImportReport importMaildir(MailAddress user, Path root) throws MigrationException {
        if (!Files.isDirectory(root)) {
            throw new MigrationException(Files.exists(root) ? root + " is not a directory" : "no such directory: " + root);
        }
        if (!MaildirFolders.isMaildir(root)) {
            throw new MigrationException("not a Maildir: " + root + " has no cur/ or new/ directory");
        }
        Progress progress = new Progress();
        List<Folder> folders;
        try {
            folders = MaildirFolders.scan(root, progress.skipped, progress.notes);
        } catch (IOException e) {
            throw new MigrationException(root + ": " + Skipped.reason(e));
        }
        LOG.info("Importing the Maildir {} ({} folders) into the store of {}", root, folders.size(), user);
        Folder current = null;
        try {
            store.mailboxes(user);
            Set<String> imported = new HashSet<>();
            for (Folder folder : folders) {
                current = folder;
                Optional<MailboxImport> done = importFolder(user, folder, progress);
                done.ifPresent(d -> {
                    progress.mailboxes.add(d);
                    progress.messages += d.messages();
                    imported.add(d.name());
                });
            }
            current = null;
            importSubscriptions(user, root, imported, progress);
        } catch (StoreException e) {
            String where = current == null ? "subscriptions" : "folder " + current.shown() + " (" + current.name() + ")";
            throw new MigrationException("the store stopped the import at " + where + " after " + progress.messages
                    + " messages: " + e.getMessage(), e, progress.report(user, root));
        }
        LOG.info("Imported {} messages in {} mailboxes from {} into the store of {}; {} files skipped",
                progress.messages, progress.mailboxes.size(), root, user, progress.skipped.size());
        return progress.report(user, root);
    }

    private Optional<MailboxImport> importFolder(MailAddress user, Folder folder, Progress progress) throws StoreException {
        String prefix = folder.shown().equals(".") ? "" : folder.shown() + "/";
        Map<Integer, String> keywords;
        try {
            List<String> problems = new ArrayList<>();
            keywords = DovecotKeywords.read(folder.dir(), problems);
            problems.forEach(p -> progress.notes.add(prefix + p));
        } catch (IOException e) {
            progress.notes.add(prefix + DovecotKeywords.FILE + ": " + Skipped.reason(e) + "; keywords not imported");
            keywords = Map.of();
        }
        Optional<UidList> uidList;
        String noUids = "no " + UidList.DOVECOT + " in the folder";
        try {
            uidList = UidList.read(folder.dir());
        } catch (IllegalArgumentException e) {
            uidList = Optional.empty();
            noUids = e.getMessage();
        } catch (IOException e) {
            uidList = Optional.empty();
            noUids = UidList.DOVECOT + ": " + Skipped.reason(e);
        }
        if (!Files.isDirectory(folder.dir().resolve("cur"))) {
            progress.notes.add(folder.shown() + " has no cur/ directory; its new/ was read");
        }
        Set<Character> unknownLetters = new TreeSet<>();
        List<Source> sources = new ArrayList<>();
        for (String sub : List.of("cur", "new")) {
            Path dir = folder.dir().resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                entries.forEach(files::add);
            } catch (IOException e) {
                progress.skipped.add(new Skipped(prefix + sub, Skipped.reason(e)));
                continue;
            }
            for (Path file : files) {
                source(file, prefix + sub + "/", keywords, unknownLetters, progress.skipped, progress.notes).ifPresent(sources::add);
            }
        }
        if (!unknownLetters.isEmpty()) {
            progress.notes.add(prefix + "flag letters without a meaning were dropped: "
                    + unknownLetters.stream().map(String::valueOf).collect(Collectors.joining()));
        }
        if (uidList.isPresent()) {
            try {
                return Optional.of(importKeepingUids(user, folder, uidList.get(), sources, progress));
            } catch (StoreException e) {
                if (e.reason() == StoreException.Reason.INVALID_NAME) {
                    progress.skipped.add(new Skipped(folder.shown(), e.getMessage()));
                    return Optional.empty();
                }
                if (e.reason() != StoreException.Reason.NOT_ALLOWED) {
                    throw e;
                }
                noUids = "the mailbox already held messages: " + e.getMessage();
            } catch (IllegalArgumentException e) {
                // the store's own limits on UIDs, stricter than the list's
                noUids = "the store refused the UIDs of " + uidList.get().file() + ": " + e.getMessage();
            }
            UidList list = uidList.get();
            sources.sort(Comparator.comparingLong(s -> list.uid(s.name()).orElse(Long.MAX_VALUE)));
        } else {
            sources.sort(DELIVERY_ORDER);
        }
        return append(user, folder, sources, "new UIDs: " + noUids, progress);
    }

    private MailboxImport importKeepingUids(MailAddress user, Folder folder, UidList uidList, List<Source> sources,
            Progress progress) throws StoreException {
        List<ImportedMessage> messages = new ArrayList<>(sources.size());
        List<Source> unlisted = new ArrayList<>();
        Set<Long> used = new HashSet<>();
        for (Source s : sources) {
            OptionalLong uid = uidList.uid(s.name());
            if (uid.isPresent() && used.add(uid.getAsLong())) {
                messages.add(new ImportedMessage(uid.getAsLong(), s.request()));
            } else {
                unlisted.add(s);
            }
        }
        long uidNext = uidList.uidNext();
        if (!unlisted.isEmpty()) {
            // What Dovecot itself would do: files it has not seen yet get the next UIDs.
            unlisted.sort(DELIVERY_ORDER);
            for (Source s : unlisted) {
                messages.add(new ImportedMessage(uidNext++, s.request()));
            }
        }
        messages.sort(Comparator.comparingLong(ImportedMessage::uid));
        MailboxInfo info = store.importMailbox(user, folder.name(), uidList.uidValidity(), uidNext, messages);
        if (!unlisted.isEmpty()) {
            progress.notes.add(folder.name() + ": " + unlisted.size() + (unlisted.size() == 1 ? " file" : " files")
                    + " not in " + uidList.file() + " (delivered after the last IMAP session) got UIDs from "
                    + (uidNext - unlisted.size()) + " on");
        }
        return new MailboxImport(folder.name(), folder.shown(), messages.size(), true, info.uidValidity(), "");
    }

    private Optional<MailboxImport> append(MailAddress user, Folder folder, List<Source> sources, String note,
            Progress progress) throws StoreException {
        if (!folder.name().equals(MailStore.INBOX)) {
            try {
                store.create(user, folder.name(), Set.of());
            } catch (StoreException e) {
                if (e.reason() == StoreException.Reason.INVALID_NAME) {
                    progress.skipped.add(new Skipped(folder.shown(), e.getMessage()));
                    return Optional.empty();
                }
                if (e.reason() != StoreException.Reason.ALREADY_EXISTS) {
                    throw e;
                }
            }
        }
        long count = 0;
        try (Mailbox mailbox = store.open(user, folder.name())) {
            for (Source s : sources) {
                mailbox.append(s.request());
                count++;
            }
            return Optional.of(new MailboxImport(folder.name(), folder.shown(), count, false, mailbox.info().uidValidity(), note));
        } catch (StoreException e) {
            progress.mailboxes.add(new MailboxImport(folder.name(), folder.shown(), count, false, 0, note));
            progress.messages += count;
            throw e;
        }
    }

    /** Reads what the import needs of one message file; empty (and a skip noted) if it cannot be used. */
    private static Optional<Source> source(Path file, String shownDir, Map<Integer, String> keywords,
            Set<Character> unknownLetters, List<Skipped> skipped, List<String> notes) {
        String fileName = file.getFileName().toString();
        String shown = shownDir + fileName;
        if (fileName.startsWith(".")) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            skipped.add(new Skipped(shown, Files.exists(file) ? "not a regular file" : "a link to nothing"));
            return Optional.empty();
        }
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(6);
            }
            if (head.length == 0) {
                skipped.add(new Skipped(shown, "empty file"));
                return Optional.empty();
            }
            for (byte[] magic : COMPRESSED) {
                if (head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length)) {
                    skipped.add(new Skipped(shown, "compressed (Dovecot's zlib plugin); decompress the Maildir first"));
                    return Optional.empty();
                }
            }
            MaildirName name = MaildirName.parse(fileName);
            Flags flags = name.flags(keywords, unknownLetters);
            Instant date = internalDate(file, name);
            if (name.sizeField() >= 0 && name.sizeField() != Files.size(file)) {
                notes.add(shown + ": the file has " + Files.size(file) + " bytes, its name says S=" + name.sizeField()
                        + "; imported as it is");
            }
            return Optional.of(new Source(name, shown, flags, date, CrlfFileContent.of(file)));
        } catch (IOException e) {
            skipped.add(new Skipped(shown, Skipped.reason(e)));
            return Optional.empty();
        }
    }

    /** Dovecot keeps the internal date as the file's mtime; the name's time is the fallback. */
    private static Instant internalDate(Path file, MaildirName name) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return name.time() > 0 ? Instant.ofEpochSecond(name.time()) : Instant.now();
        }
    }

    private void importSubscriptions(MailAddress user, Path root, Set<String> imported, Progress progress)
            throws StoreException {
        List<String> names;
        try {
            names = Subscriptions.read(root, imported, progress.notes);
        } catch (IOException e) {
            progress.notes.add("subscriptions not imported: " + Skipped.reason(e));
            return;
        }
        for (String name : names) {
            try {
                store.subscribe(user, name, true);
                progress.subscriptions++;
            } catch (StoreException e) {
                if (e.reason() != StoreException.Reason.INVALID_NAME) {
                    throw e;
                }
                progress.notes.add("subscription '" + name + "' not imported: " + e.getMessage());
            }
        }
    }
}
