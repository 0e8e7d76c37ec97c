package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.postbus.api.store.MailStore;

/**
 * The subscriptions file at the root of a Maildir: Dovecot's {@code subscriptions} (one name a
 * line; version 1 with Maildir++ names {@code Archive.2024}, version 2 after a {@code V<tab>2}
 * header with levels separated by tabs) or Courier's {@code courierimapsubscribed}
 * ({@code INBOX.Archive.2024}).
 */
final class Subscriptions {

    /** Dovecot's file. */
    static final String DOVECOT = "subscriptions";
    /** Courier's file. */
    static final String COURIER = "courierimapsubscribed";

    private static final String V2_HEADER = "V\t2";

    private Subscriptions() {
    }

    /**
     * The subscribed names, as store mailbox names.
     *
     * @param folders the mailbox names found in the Maildir: a name {@code INBOX.X} is read as
     *     {@code X} when {@code X} is one of them and {@code INBOX/X} is not (Courier's namespace)
     * @param notes receives a line for each name that could not be read
     */
    static List<String> read(Path root, Set<String> folders, List<String> notes) throws IOException {
        Path file = root.resolve(DOVECOT);
        boolean courier = false;
        if (!Files.isRegularFile(file)) {
            file = root.resolve(COURIER);
            courier = true;
            if (!Files.isRegularFile(file)) {
                return List.of();
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean v2 = !lines.isEmpty() && lines.get(0).equals(V2_HEADER);
        Set<String> names = new LinkedHashSet<>();
        for (String line : v2 ? lines.subList(1, lines.size()) : lines) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                String name = v2 ? fromLevels(line.split("\t", -1)) : MaildirFolders.mailboxName(line, notes);
                if (name.regionMatches(true, 0, MailStore.INBOX + MailStore.HIERARCHY_SEPARATOR, 0, 6)) {
                    String rest = name.substring(6);
                    if (courier || folders.contains(rest) && !folders.contains(MailStore.INBOX + MailStore.HIERARCHY_SEPARATOR + rest)) {
                        name = rest;
                    }
                }
                names.add(name.equalsIgnoreCase(MailStore.INBOX) ? MailStore.INBOX : name);
            } catch (IllegalArgumentException e) {
                notes.add(file.getFileName() + ": subscription '" + Skipped.shown(line) + "' not imported: " + e.getMessage());
            }
        }
        return new ArrayList<>(names);
    }

    private static String fromLevels(String[] levels) {
        StringBuilder name = new StringBuilder();
        for (String escaped : levels) {
            String level = tabUnescape(escaped);
            if (level.isEmpty() || level.indexOf(MailStore.HIERARCHY_SEPARATOR) >= 0) {
                throw new IllegalArgumentException("it has an empty level or a '" + MailStore.HIERARCHY_SEPARATOR + "'");
            }
            try {
                level = ModifiedUtf7.decode(level);
            } catch (IllegalArgumentException utf8) {
                // Dovecot 2.3 writes version 2 names in UTF-8
            }
            name.append(name.length() == 0 ? "" : String.valueOf(MailStore.HIERARCHY_SEPARATOR)).append(level);
        }
        return name.toString();
    }

    /** Undoes Dovecot's tab escaping: {@code \001} followed by {@code 1}, {@code t}, {@code r} or {@code n}. */
    private static String tabUnescape(String text) {
        if (text.indexOf('\001') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\001' && i + 1 < text.length()) {
                char e = text.charAt(++i);
                out.append(switch (e) {
                    case '1' -> '\001';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'n' -> '\n';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Writes Dovecot's {@code subscriptions} (version 1, Maildir++ names as the folders have). */
    static void write(Path root, List<String> names) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            text.append(name.equals(MailStore.INBOX) ? name : MaildirFolders.directoryName(name).substring(1)).append('\n');
        }
        Files.writeString(root.resolve(DOVECOT), text, StandardCharsets.UTF_8);
    }
}
