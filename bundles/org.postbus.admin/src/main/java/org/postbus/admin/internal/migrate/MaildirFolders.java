package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.postbus.api.store.MailStore;

/**
 * Folder names in a Maildir++ tree, as Dovecot and Courier lay it out: the inbox is the root
 * (its {@code cur/} and {@code new/}), every other folder a directory {@code .Name} beside them,
 * levels separated by {@code .}, names in IMAP's modified UTF-7: {@code .Archiv.Entw&APw-rfe} is
 * {@code Archiv/Entwürfe} in the store.
 */
final class MaildirFolders {

    /** The Maildir++ hierarchy separator. */
    static final char SEPARATOR = '.';

    private MaildirFolders() {
    }

    /**
     * A folder found in a Maildir.
     *
     * @param name its mailbox name in the store
     * @param dir its directory
     * @param shown how the report names it: {@code .} for the inbox, else the directory name
     */
    record Folder(String name, Path dir, String shown) {
    }

    /** Whether {@code dir} holds messages as a Maildir does: a {@code cur/} or {@code new/}. */
    static boolean isMaildir(Path dir) {
        return Files.isDirectory(dir.resolve("cur")) || Files.isDirectory(dir.resolve("new"));
    }

    /**
     * The folders of a Maildir, the inbox first, then by name (so parents come before children).
     *
     * @param skipped receives each directory that is not read, with the reason
     * @param notes receives remarks on names read in a lenient way
     */
    static List<Folder> scan(Path root, List<Skipped> skipped, List<String> notes) throws IOException {
        List<Folder> folders = new ArrayList<>();
        folders.add(new Folder(MailStore.INBOX, root, "."));
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            entries.forEach(dirs::add);
        }
        dirs.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path dir : dirs) {
            String dirName = dir.getFileName().toString();
            if (!Files.isDirectory(dir) || dirName.equals("cur") || dirName.equals("new") || dirName.equals("tmp")) {
                continue;
            }
            if (dirName.charAt(0) != SEPARATOR) {
                if (isMaildir(dir)) {
                    skipped.add(new Skipped(dirName, "a folder in a directory of its own (Dovecot LAYOUT=fs) is not read;"
                            + " only Maildir++ folders named .Folder are"));
                }
                continue;
            }
            if (!isMaildir(dir)) {
                skipped.add(new Skipped(dirName, "not a Maildir folder: it has no cur/ or new/"));
                continue;
            }
            try {
                String name = mailboxName(dirName.substring(1), notes);
                if (name.equalsIgnoreCase(MailStore.INBOX)) {
                    skipped.add(new Skipped(dirName, "a folder named INBOX besides the inbox itself cannot be imported"));
                    continue;
                }
                folders.add(new Folder(name, dir, dirName));
            } catch (IllegalArgumentException e) {
                skipped.add(new Skipped(dirName, e.getMessage()));
            }
        }
        folders.subList(1, folders.size()).sort(Comparator.comparing(Folder::name));
        return folders;
    }

    /**
     * The store's name for a Maildir++ folder name (without its leading dot).
     *
     * @throws IllegalArgumentException if it cannot be one
     */
    static String mailboxName(String maildirName, List<String> notes) {
        StringBuilder name = new StringBuilder();
        for (String level : maildirName.split("\\" + SEPARATOR, -1)) {
            if (level.isEmpty()) {
                throw new IllegalArgumentException("the folder name has an empty level");
            }
            String decoded;
            try {
                decoded = ModifiedUtf7.decode(level);
            } catch (IllegalArgumentException notUtf7) {
                decoded = level;
                notes.add("folder name ." + Skipped.shown(maildirName) + " is not modified UTF-7 ("
                        + notUtf7.getMessage() + "); taken as it is");
            }
            if (decoded.indexOf(MailStore.HIERARCHY_SEPARATOR) >= 0) {
                throw new IllegalArgumentException("the folder name contains '" + MailStore.HIERARCHY_SEPARATOR
                        + "', the store's hierarchy separator");
            }
            if (name.length() > 0) {
                name.append(MailStore.HIERARCHY_SEPARATOR);
            }
            name.append(decoded);
        }
        return name.toString();
    }

    /**
     * The Maildir++ directory name ({@code .A.B}) for a mailbox other than the inbox. A {@code .}
     * inside a level is written {@code &AC4-}, which this reader takes back as {@code .}.
     */
    static String directoryName(String mailbox) {
        StringBuilder dir = new StringBuilder();
        for (String level : mailbox.split(String.valueOf(MailStore.HIERARCHY_SEPARATOR), -1)) {
            dir.append(SEPARATOR).append(ModifiedUtf7.encode(level, String.valueOf(SEPARATOR)));
        }
        return dir.toString();
    }
}
