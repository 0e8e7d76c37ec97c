package org.postbus.admin.internal.migrate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The UIDs a Maildir folder had on its IMAP server: Dovecot's {@code dovecot-uidlist} or
 * Courier's {@code courierimapuiddb}.
 *
 * <pre>
 * version 3 (Dovecot 1.1 and later):  3 V&lt;uidvalidity&gt; N&lt;nextuid&gt; [G&lt;guid&gt; ...]
 *                                     &lt;uid&gt; [&lt;key&gt;&lt;value&gt; ...] :&lt;filename&gt;
 * version 1 (Dovecot 1.0, Courier):   1 &lt;uidvalidity&gt; &lt;nextuid&gt;
 *                                     &lt;uid&gt; &lt;filename&gt;
 * </pre>
 *
 * <p>Files are matched by base name (the part before {@code :}, which changes with the flags),
 * and failing that by the part before the first {@code ,} (size fields added later).
 */
final class UidList {

    /** Dovecot's file. */
    static final String DOVECOT = "dovecot-uidlist";
    /** Courier's file, in Dovecot's version 1 format. */
    static final String COURIER = "courierimapuiddb";

    private static final long MAX_UID = 0xffff_ffffL;

    private final String file;
    private final long uidValidity;
    private final long uidNext;
    private final Map<String, Long> byBase;
    private final Map<String, Long> byUnique;

    private UidList(String file, long uidValidity, long uidNext, Map<String, Long> byBase, Map<String, Long> byUnique) {
        this.file = file;
        this.uidValidity = uidValidity;
        this.uidNext = uidNext;
        this.byBase = byBase;
        this.byUnique = byUnique;
    }

    /** The file's name ({@link #DOVECOT} or {@link #COURIER}). */
    String file() {
        return file;
    }

    long uidValidity() {
        return uidValidity;
    }

    long uidNext() {
        return uidNext;
    }

    /** The UID recorded for a message file, if any. */
    OptionalLong uid(MaildirName name) {
        Long uid = byBase.get(name.base());
        if (uid == null) {
            uid = byUnique.get(name.unique());
        }
        return uid == null ? OptionalLong.empty() : OptionalLong.of(uid);
    }

    /**
     * The folder's UID list: {@code dovecot-uidlist}, else {@code courierimapuiddb}, else none.
     *
     * @throws IllegalArgumentException saying what is wrong with a file that is there
     * @throws IOException if it cannot be read
     */
    static Optional<UidList> read(Path folder) throws IOException {
        for (String name : List.of(DOVECOT, COURIER)) {
            Path path = folder.resolve(name);
            if (Files.isRegularFile(path)) {
                try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.ISO_8859_1)) {
                    return Optional.of(parse(name, reader));
                }
            }
        }
        return Optional.empty();
    }

    static UidList parse(String fileName, BufferedReader reader) throws IOException {
        String header = reader.readLine();
        if (header == null) {
            throw new IllegalArgumentException(fileName + " is empty");
        }
        String[] fields = header.strip().split(" +");
        long validity = -1;
        long next = -1;
        boolean v3;
        if (fields[0].equals("3")) {
            v3 = true;
            for (int i = 1; i < fields.length; i++) {
                if (fields[i].startsWith("V")) {
                    validity = number(fields[i].substring(1));
                } else if (fields[i].startsWith("N")) {
                    next = number(fields[i].substring(1));
                }
            }
        } else if (fields[0].equals("1") && fields.length == 3) {
            v3 = false;
            validity = number(fields[1]);
            next = number(fields[2]);
        } else {
            throw new IllegalArgumentException(fileName + " has an unknown header (versions 1 and 3 are read): "
                    + Skipped.shown(header));
        }
        if (validity < 1 || validity > MAX_UID) {
            throw new IllegalArgumentException(fileName + " has no valid UIDVALIDITY in its header: " + Skipped.shown(header));
        }
        if (next < 1 || next > MAX_UID + 1) {
            throw new IllegalArgumentException(fileName + " has no valid next UID in its header: " + Skipped.shown(header));
        }
        Map<String, Long> byBase = new HashMap<>();
        Map<String, Long> byUnique = new HashMap<>();
        Map<Long, String> seen = new HashMap<>();
        long highest = 0;
        int lineNumber = 1;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            long uid = space < 0 ? -1 : number(line.substring(0, space));
            String name;
            if (v3) {
                int colon = line.indexOf(':', space);
                name = colon < 0 ? "" : line.substring(colon + 1);
            } else {
                name = space < 0 ? "" : line.substring(space + 1).strip();
            }
            if (uid < 1 || uid > MAX_UID || name.isEmpty() || name.indexOf('/') >= 0) {
                throw new IllegalArgumentException(fileName + " line " + lineNumber + " is not '<uid> "
                        + (v3 ? "[fields] :" : "") + "<file name>': " + Skipped.shown(line));
            }
            MaildirName parsed = MaildirName.parse(name);
            String other = seen.put(uid, parsed.base());
            if (other != null && !other.equals(parsed.base())) {
                throw new IllegalArgumentException(fileName + " gives UID " + uid + " to two files (line " + lineNumber + ")");
            }
            byBase.put(parsed.base(), uid);
            byUnique.putIfAbsent(parsed.unique(), uid);
            highest = Math.max(highest, uid);
        }
        return new UidList(fileName, validity, Math.max(next, highest + 1), byBase, byUnique);
    }

    /**
     * Writes a {@code dovecot-uidlist} in version 3.
     *
     * @param files the file name of each UID, in ascending UID order
     */
    static void write(Path folder, long uidValidity, long uidNext, List<Map.Entry<Long, String>> files) throws IOException {
        try (Writer out = Files.newBufferedWriter(folder.resolve(DOVECOT), StandardCharsets.ISO_8859_1)) {
            out.write("3 V" + uidValidity + " N" + uidNext + "\n");
            for (Map.Entry<Long, String> e : files) {
                out.write(e.getKey() + " :" + e.getValue() + "\n");
            }
        }
    }

    private static long number(String text) {
        if (text.isEmpty() || text.length() > 12) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }
}
