package org.postbus.admin.internal.migrate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;

/**
 * The name of a Maildir message file, {@code <time>.<unique>.<host>[,S=<size>][,W=<vsize>][:2,<flags>]},
 * and what it says: the base name that identifies the message (the part before {@code :}, which
 * stays when flags change), the delivery time, the size and the flags.
 *
 * @param fileName the whole name
 * @param base the part before the info separator {@code :}
 * @param info the part after it ({@code 2,FS}), or empty
 * @param time the delivery time in seconds since 1970 that the name starts with, or -1
 * @param sizeField the {@code S=} size, or -1
 */
record MaildirName(String fileName, String base, String info, long time, long sizeField) {

    /** Parses a file name. */
    static MaildirName parse(String fileName) {
        int colon = fileName.indexOf(':');
        String base = colon < 0 ? fileName : fileName.substring(0, colon);
        String info = colon < 0 ? "" : fileName.substring(colon + 1);
        return new MaildirName(fileName, base, info, leadingNumber(base, 0), field(base, ",S="));
    }

    /** The base up to its first {@code ,}: the unique part, without size fields added later. */
    String unique() {
        int comma = base.indexOf(',');
        return comma < 0 ? base : base.substring(0, comma);
    }

    /**
     * The flags in the info part. Upper-case letters are the system flags and {@code P}
     * (passed, {@code $Forwarded}); lower-case letters are Dovecot keywords, named in
     * {@code keywords} by their index ({@code a} = 0).
     *
     * @param unknown receives each letter that means nothing here
     */
    Flags flags(Map<Integer, String> keywords, Set<Character> unknown) {
        if (!info.startsWith("2,")) {
            return Flags.NONE;
        }
        Set<Flag> system = EnumSet.noneOf(Flag.class);
        Set<String> names = new TreeSet<>();
        for (char c : info.substring(2).toCharArray()) {
            switch (c) {
                case 'D' -> system.add(Flag.DRAFT);
                case 'F' -> system.add(Flag.FLAGGED);
                case 'P' -> names.add("$Forwarded");
                case 'R' -> system.add(Flag.ANSWERED);
                case 'S' -> system.add(Flag.SEEN);
                case 'T' -> system.add(Flag.DELETED);
                default -> {
                    String keyword = c >= 'a' && c <= 'z' ? keywords.get(c - 'a') : null;
                    if (keyword != null) {
                        names.add(keyword);
                    } else if (c != ',') {
                        unknown.add(c);
                    }
                }
            }
        }
        return new Flags(system, names);
    }

    /**
     * The info letters for flags, in the ASCII order Maildir wants.
     *
     * @param keywordLetters the letter of each keyword; keywords without one are left out
     */
    static String letters(Flags flags, Map<String, Character> keywordLetters) {
        List<Character> letters = new ArrayList<>();
        if (flags.has(Flag.DRAFT)) {
            letters.add('D');
        }
        if (flags.has(Flag.FLAGGED)) {
            letters.add('F');
        }
        if (flags.keywords().stream().anyMatch(k -> k.equalsIgnoreCase("$Forwarded"))) {
            letters.add('P');
        }
        if (flags.has(Flag.ANSWERED)) {
            letters.add('R');
        }
        if (flags.has(Flag.SEEN)) {
            letters.add('S');
        }
        if (flags.has(Flag.DELETED)) {
            letters.add('T');
        }
        for (String keyword : new TreeSet<>(flags.keywords())) {
            Character letter = keywordLetters.get(keyword);
            if (letter != null) {
                letters.add(letter);
            }
        }
        StringBuilder sb = new StringBuilder();
        letters.stream().sorted().forEach(sb::append);
        return sb.toString();
    }

    private static long field(String base, String key) {
        int at = base.indexOf(key);
        return at < 0 ? -1 : leadingNumber(base, at + key.length());
    }

    private static long leadingNumber(String text, int from) {
        int end = from;
        while (end < text.length() && end - from < 18 && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
            end++;
        }
        return end == from ? -1 : Long.parseLong(text.substring(from, end));
    }
}
