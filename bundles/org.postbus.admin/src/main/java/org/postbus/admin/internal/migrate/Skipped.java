package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * A file or folder that a migration left out, and why.
 *
 * @param file the file, relative to the Maildir or export root (or a mailbox name)
 * @param reason why it was left out, in words an administrator can act on
 */
public record Skipped(String file, String reason) {

    /** Why an I/O operation failed, without a stack trace or a repeated path. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "cannot read it: permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "it vanished, or is a link to nothing";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return "cannot read it: " + fs.getReason();
        }
        return "cannot read it: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** Text from a file as it may be shown in a report: printable and short. */
    static String shown(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
