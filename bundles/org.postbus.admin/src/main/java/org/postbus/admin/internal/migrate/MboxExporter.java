package org.postbus.admin.internal.migrate;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.postbus.admin.internal.migrate.ExportReport.MailboxExport;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;
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
 * Exports mailboxes as mboxrd files, one per mailbox, {@code <name>.mbox} (a mailbox
 * {@code Archive/2024} as {@code Archive/2024.mbox}). Each message follows a line
 * {@code From MAILER-DAEMON <internal date>}, its lines quoted the mboxrd way, its flags in the
 * {@code Status}, {@code X-Status} and {@code X-Keywords} headers (written afresh: those it had
 * are replaced), LF line ends.
 */
public final class MboxExporter {

    private static final Logger LOG = LoggerFactory.getLogger(MboxExporter.class);
    private static final String SUFFIX = ".mbox";
    /** A header line longer than this ends the header rewriting; the rest is copied. */
    private static final int MAX_HEADER_LINE = 64 * 1024;

    private final MailStore store;

    public MboxExporter(MailStore store) {
        this.store = store;
    }

    /**
     * Writes mailboxes of {@code user} into {@code dir}, created if missing.
     *
     * @param mailbox the one mailbox to export, or {@code null} for all
     * @throws MigrationException if the directory cannot be used, the mailbox does not exist or
     *     a file to write exists already (nothing is written then), or if the store or the disk
     *     failed midway (the exception carries what was written)
     */
    public ExportReport exportMbox(MailAddress user, Path dir, String mailbox) throws MigrationException {
        List<MailboxExport> done = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        long total = 0;
        Map<MailboxInfo, Path> files = new LinkedHashMap<>();
        try {
            List<MailboxInfo> all = store.mailboxes(user);
            List<MailboxInfo> chosen = mailbox == null || mailbox.isBlank() ? all : all.stream()
                    .filter(m -> m.name().equals(mailbox) || m.name().equals(MailStore.INBOX) && mailbox.equalsIgnoreCase(MailStore.INBOX))
                    .toList();
            if (chosen.isEmpty()) {
                throw new MigrationException("no mailbox '" + mailbox + "' in the store of " + user);
            }
            for (MailboxInfo info : chosen) {
                String relative = fileName(info.name());
                if (relative == null) {
                    skipped.add(new Skipped(info.name(), "a level of the name cannot be a file name ('.', '..' or with a NUL)"));
                    continue;
                }
                Path file = dir.resolve(relative);
                if (Files.exists(file)) {
                    throw new MigrationException(file + " exists; remove it or export into another directory");
                }
                files.put(info, file);
            }
        } catch (StoreException e) {
            throw new MigrationException("the store cannot list the mailboxes of " + user + ": " + e.getMessage(), e, null);
        }
        ExportTarget.directory(dir);
        LOG.info("Exporting {} mailboxes of {} as mbox files into {}", files.size(), user, dir);
        String current = null;
        try {
            for (Map.Entry<MailboxInfo, Path> e : files.entrySet()) {
                current = e.getKey().name();
                Path file = e.getValue();
                Files.createDirectories(file.getParent());
                Path part = file.resolveSibling(file.getFileName() + ".part");
                long count;
                MailboxStatus status;
                try (Mailbox box = store.open(user, current);
                        OutputStream out = new BufferedOutputStream(Files.newOutputStream(part,
                                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024)) {
                    count = writeMailbox(box, out, skipped, current);
                    status = box.status();
                } catch (StoreException | IOException | RuntimeException failed) {
                    Files.deleteIfExists(part);
                    throw failed;
                }
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
                done.add(new MailboxExport(current, dir.relativize(file).toString(), count, status.uidValidity(), status.uidNext()));
                total += count;
            }
        } catch (StoreException e) {
            throw new MigrationException("the store stopped the export at mailbox " + current + " after " + total
                    + " messages: " + e.getMessage(), e, report(user, dir, done, total, skipped));
        } catch (IOException e) {
            throw new MigrationException("writing into " + dir + " failed after " + total + " messages: "
                    + ExportTarget.reason(e), e, report(user, dir, done, total, skipped));
        }
        LOG.info("Exported {} messages in {} mailboxes of {} as mbox files into {}", total, done.size(), user, dir);
        return report(user, dir, done, total, skipped);
    }

    private static ExportReport report(MailAddress user, Path dir, List<MailboxExport> done, long total, List<Skipped> skipped) {
        return new ExportReport(user.toString(), dir.toString(), "mbox", done, total, skipped, 0,
                List.of("mbox files keep no UIDs; an import appends their messages with new UIDs"));
    }

    /** {@code A/B} becomes {@code A/B.mbox}; null if a level cannot be a file name. */
    static String fileName(String mailbox) {
        for (String level : mailbox.split(String.valueOf(MailStore.HIERARCHY_SEPARATOR), -1)) {
            if (level.isEmpty() || level.equals(".") || level.equals("..") || level.indexOf('\0') >= 0) {
                return null;
            }
        }
        return mailbox + SUFFIX;
    }

    private static long writeMailbox(Mailbox box, OutputStream out, List<Skipped> skipped, String name)
            throws StoreException, IOException {
        long count = 0;
        try (Stream<MessageMeta> messages = box.messages(UidRange.ALL)) {
            Iterator<MessageMeta> it = messages.iterator();
            while (it.hasNext()) {
                MessageMeta meta = it.next();
                InputStream content;
                try {
                    content = box.content(meta.uid()).open();
                } catch (StoreException | IOException e) {
                    skipped.add(new Skipped(name + " UID " + meta.uid(), "cannot read the message: " + e.getMessage()));
                    continue;
                }
                // A message that fails to read midway stops the export (the caller drops the file):
                // half a message must not pass for a whole one.
                try (InputStream in = content) {
                    out.write((FromLine.format(meta.internalDate()) + "\n").getBytes(StandardCharsets.US_ASCII));
                    LfOutputStream lf = new LfOutputStream(out, true);
                    writeMessage(new BufferedInputStream(in, 64 * 1024), lf, meta.flags());
                    lf.finish();
                    if (lf.lastByte() != '\n') {
                        out.write('\n');
                    }
                    out.write('\n');
                }
                count++;
            }
        }
        return count;
    }

    /** Copies a message, its status headers replaced by ones for {@code flags}. */
    static void writeMessage(InputStream in, OutputStream out, Flags flags) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        boolean skipping = false;
        boolean bodyFollows = false;
        while (true) {
            line.reset();
            int c;
            while ((c = in.read()) >= 0) {
                line.write(c);
                if (c == '\n' || line.size() >= MAX_HEADER_LINE) {
                    break;
                }
            }
            if (line.size() == 0) {
                break;
            }
            byte[] bytes = line.toByteArray();
            boolean ended = bytes[bytes.length - 1] == '\n';
            if (!ended && c >= 0) {
                // a header line longer than any real one: give up rewriting, copy the rest
                out.write(statusHeaders(flags));
                out.write(bytes);
                in.transferTo(out);
                return;
            }
            if (bytes.length <= 2 && (bytes[0] == '\n' || bytes[0] == '\r' && bytes.length == 2 && bytes[1] == '\n')) {
                out.write(statusHeaders(flags));
                out.write(bytes);
                bodyFollows = true;
                break;
            }
            boolean continuation = bytes[0] == ' ' || bytes[0] == '\t';
            if (!continuation) {
                skipping = isStatusHeader(bytes);
            }
            if (!skipping) {
                out.write(bytes);
            }
            if (!ended) {
                break;
            }
        }
        if (bodyFollows) {
            in.transferTo(out);
        } else {
            // headers only, no body: the status headers go at the end
            if (line.size() > 0 && line.toByteArray()[line.size() - 1] != '\n') {
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(statusHeaders(flags));
        }
    }

    private static boolean isStatusHeader(byte[] line) {
        String start = new String(line, 0, Math.min(line.length, 16), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int colon = start.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String name = start.substring(0, colon).strip();
        return name.equals("status") || name.equals("x-status") || name.equals("x-keywords");
    }

    /** {@code Status}, {@code X-Status} and {@code X-Keywords} for the flags, CRLF-ended. */
    static byte[] statusHeaders(Flags flags) {
        StringBuilder h = new StringBuilder();
        h.append("Status: ").append(flags.has(Flag.SEEN) ? "RO" : "O").append("\r\n");
        StringBuilder x = new StringBuilder();
        if (flags.has(Flag.ANSWERED)) {
            x.append('A');
        }
        if (flags.has(Flag.FLAGGED)) {
            x.append('F');
        }
        if (flags.has(Flag.DRAFT)) {
            x.append('T');
        }
        if (flags.has(Flag.DELETED)) {
            x.append('D');
        }
        if (x.length() > 0) {
            h.append("X-Status: ").append(x).append("\r\n");
        }
        if (!flags.keywords().isEmpty()) {
            h.append("X-Keywords: ").append(String.join(" ", new TreeSet<>(flags.keywords()))).append("\r\n");
        }
        return h.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
