package org.postbus.admin.internal.migrate;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code From } line that starts each message of an mbox: {@code From sender asctime-date},
 * as in {@code From alice@example.org Thu Jan  4 09:15:00 2024}. The date is the message's
 * internal date, in UTC unless the line gives a numeric zone.
 */
final class FromLine {

    /** The envelope sender written on export: the store keeps none. */
    static final String SENDER = "MAILER-DAEMON";

    private static final Pattern DATE = Pattern.compile(
            "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\\s+(\\d{1,2})\\s+"
            + "(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s+(?:([+-]\\d{4})\\s+|[A-Z]{2,5}\\s+)?(\\d{4})(?:\\s+([+-]\\d{4})|\\s+[A-Z]{2,5})?\\s*$");
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private FromLine() {
    }

    /** Whether a line (without its line end) starts like a {@code From } line. */
    static boolean starts(String line) {
        return line.startsWith("From ");
    }

    /** The date at the end of a {@code From } line, if it has a readable one. */
    static Optional<Instant> date(String line) {
        Matcher m = DATE.matcher(line);
        if (!starts(line) || !m.find()) {
            return Optional.empty();
        }
        try {
            LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(7)), MONTHS.indexOf(m.group(1)) / 3 + 1,
                    Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    m.group(5) == null ? 0 : Integer.parseInt(m.group(5)));
            String zone = m.group(6) != null ? m.group(6) : m.group(8);
            return Optional.of(local.toInstant(zone == null ? ZoneOffset.UTC : ZoneOffset.of(zone)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The line for a message received at {@code date}, without its line end. */
    static String format(Instant date) {
        return "From " + SENDER + " " + ASCTIME.format(date);
    }
}
