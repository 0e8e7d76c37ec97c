package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Where an export writes: checks that it will overwrite nothing, and names write failures. */
final class ExportTarget {

    private ExportTarget() {
    }

    /**
     * Makes sure {@code dir} is an empty directory, creating it (and its parents) if missing.
     *
     * @throws MigrationException if it is a file, holds something, or cannot be created
     */
    static void emptyDirectory(Path dir) throws MigrationException {
        directory(dir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            if (entries.iterator().hasNext()) {
                throw new MigrationException(dir + " is not empty; export into a new or empty directory");
            }
        } catch (IOException e) {
            throw new MigrationException(dir + ": " + reason(e));
        }
    }

    /**
     * Makes sure {@code dir} is a directory, creating it (and its parents) if missing.
     *
     * @throws MigrationException if it is a file or cannot be created
     */
    static void directory(Path dir) throws MigrationException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new MigrationException(dir + " is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MigrationException("cannot create " + dir + ": " + reason(e));
        }
    }

    /** Why a file operation failed, without a stack trace. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied" + (a.getFile() == null ? "" : " (" + a.getFile() + ")");
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory" + (n.getFile() == null ? "" : " (" + n.getFile() + ")");
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + (fs.getFile() == null ? "" : " (" + fs.getFile() + ")");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
