package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dovecot's {@code dovecot-keywords} file in a Maildir folder: which keyword each of the letters
 * {@code a} to {@code z} in file names stands for, as lines {@code <index> <keyword>}.
 */
final class DovecotKeywords {

    /** The file's name. */
    static final String FILE = "dovecot-keywords";
    /** Letters {@code a}-{@code z}: at most this many keywords per folder. */
    static final int MAX = 26;

    private DovecotKeywords() {
    }

    /**
     * Reads the keywords of a folder; none if it has no file.
     *
     * @param problems receives a line for each entry that could not be used
     */
    static Map<Integer, String> read(Path folder, List<String> problems) throws IOException {
        Path file = folder.resolve(FILE);
        Map<Integer, String> keywords = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return keywords;
        }
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            try {
                int index = Integer.parseInt(line.substring(0, space < 0 ? line.length() : space));
                String keyword = space < 0 ? "" : line.substring(space + 1).strip();
                if (index < 0 || index >= MAX || !Keywords.valid(keyword)) {
                    throw new NumberFormatException();
                }
                keywords.put(index, keyword);
            } catch (NumberFormatException e) {
                problems.add(FILE + " line " + number + " is not '<index 0-25> <keyword>': " + Skipped.shown(line));
            }
        }
        return keywords;
    }

    /** Writes the keywords, the first as {@code a}. */
    static void write(Path folder, List<String> keywords) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < keywords.size(); i++) {
            text.append(i).append(' ').append(keywords.get(i)).append('\n');
        }
        Files.writeString(folder.resolve(FILE), text, StandardCharsets.UTF_8);
    }
}
