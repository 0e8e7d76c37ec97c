package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * Builds a Maildir on disk as Dovecot writes it: LF line ends, flags after {@code :2,}, the
 * internal date as the file's mtime, {@code dovecot-uidlist} and {@code dovecot-keywords} in each
 * folder, Maildir++ folders {@code .Name} with modified UTF-7 names.
 */
final class MaildirFixture {

    final Path root;

    MaildirFixture(Path root) throws IOException {
        this.root = root;
        folder(".");
    }

    /** A folder: {@code .} for the inbox, else the directory name ({@code .Entw&APw-rfe}). */
    Path folder(String dirName) throws IOException {
        Path dir = dirName.equals(".") ? root : root.resolve(dirName);
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        if (!dirName.equals(".")) {
            Files.write(dir.resolve("maildirfolder"), new byte[0]);
        }
        return dir;
    }

    /** A message file in {@code cur} or {@code new}, with LF line ends and its mtime set. */
    Path message(Path folder, String sub, String fileName, String text, Instant mtime) throws IOException {
        Path file = folder.resolve(sub).resolve(fileName);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(mtime));
        return file;
    }

    /** A file in a folder ({@code dovecot-uidlist}, {@code dovecot-keywords}, {@code subscriptions}). */
    Path file(Path folder, String name, String text) throws IOException {
        return Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** A message text with the given subject, LF line ends. */
    static String mail(String subject, String body) {
        return "From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: " + subject
                + "\nMessage-ID: <" + Math.abs(subject.hashCode()) + "@example.org>\n\n" + body;
    }

    /** The text as the store should hold it: CRLF line ends. */
    static String crlf(String lf) {
        return lf.replace("\n", "\r\n");
    }
}
