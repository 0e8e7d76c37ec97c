package org.postbus.pop3.internal.codec;

import java.util.Objects;

/**
 * One command line as the {@link LineReader} found it.
 *
 * @param kind a line, or why there is none
 * @param text the line without its line end; empty unless {@code kind} is LINE
 */
public record CommandLine(Kind kind, String text) {

    /** What the reader found. */
    public enum Kind {
        /** A complete line. */
        LINE,
        /** A line longer than the limit; it was skipped up to its end. */
        TOO_LONG,
        /** A line holding control characters (NUL, a bare CR, ...) or bytes that are not UTF-8; it was skipped. */
        INVALID,
        /** No complete line yet. */
        NEED_MORE
    }

    /** No complete line yet. */
    public static final CommandLine NEED_MORE = new CommandLine(Kind.NEED_MORE, "");
    /** An over-long line was skipped. */
    public static final CommandLine TOO_LONG = new CommandLine(Kind.TOO_LONG, "");
    /** A line with forbidden bytes was skipped. */
    public static final CommandLine INVALID = new CommandLine(Kind.INVALID, "");

    /** Checks the parts are present. */
    public CommandLine {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }
}
