package org.postbus.imap.internal.codec;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;

/** IMAP's date-time ({@code "17-Jul-1996 02:44:25 -0700"}) and date ({@code 1-Feb-1994}) forms. */
public final class DateTimes {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z",
            Locale.US);
    // Strict, so that 31-Feb-1994 is refused rather than quietly made 28-Feb (uuuu: STRICT needs a
    // proleptic year, yyyy would need an era).
    private static final DateTimeFormatter PARSE_DATE_TIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-uuuu HH:mm:ss Z").toFormatter(Locale.US).withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter PARSE_DATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-uuuu").toFormatter(Locale.US).withResolverStyle(ResolverStyle.STRICT);

    private DateTimes() {
    }

    /** Formats an instant in UTC, quoted. */
    public static String format(Instant instant) {
        return "\"" + DATE_TIME.format(instant.atZone(ZoneOffset.UTC)) + "\"";
    }

    /**
     * Parses a date-time (without its quotes); a leading space before a one-digit day is allowed.
     *
     * @throws ParseException if it is not one
     */
    public static Instant parseDateTime(String text) throws ParseException {
        try {
            return ZonedDateTime.parse(text.strip(), PARSE_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ParseException("Invalid date-time \"" + text + "\"; expected like \"17-Jul-1996 02:44:25 -0700\"");
        }
    }

    /**
     * Parses a date.
     *
     * @throws ParseException if it is not one
     */
    public static LocalDate parseDate(String text) throws ParseException {
        try {
            return LocalDate.parse(text.strip(), PARSE_DATE);
        } catch (DateTimeParseException e) {
            throw new ParseException("Invalid date " + text + "; expected like 1-Feb-1994");
        }
    }
}
