package org.postbus.smtp.internal.codec;

import java.util.Objects;

/**
 * One command line as the {@link CommandLineReader} found it.
 *
 * @param kind a line, or why there is none
 * @param text the line without its CRLF, decoded as UTF-8; empty unless {@code kind} is LINE
 */
public record CommandLine(Kind kind, String text) {

    /** What the reader found. */
    public enum Kind {
        /** A complete line ending in CRLF. */
        LINE,
        /** A line longer than the limit; it was skipped up to its end. */
        TOO_LONG,
        /** A line with a bare CR or a bare LF (RFC 5321 2.3.8); it was skipped. */
        BARE_LINE_BREAK,
        /** No complete line yet. */
        NEED_MORE
    }

    /** No complete line yet. */
    public static final CommandLine NEED_MORE = new CommandLine(Kind.NEED_MORE, "");
    /** An over-long line was skipped. */
    public static final CommandLine TOO_LONG = new CommandLine(Kind.TOO_LONG, "");
    /** A line with a bare line break was skipped. */
    public static final CommandLine BARE_LINE_BREAK = new CommandLine(Kind.BARE_LINE_BREAK, "");

    /** Checks the parts are present. */
    public CommandLine {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }
}
