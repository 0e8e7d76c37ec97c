package org.postbus.imap.internal.codec;

/** What the {@link CommandReader} found in the client's bytes. */
public sealed interface Input {

    /** A complete command. */
    record Command(RawCommand command) implements Input {
    }

    /** A line read raw (an AUTHENTICATE response, IDLE's DONE): no literals in it. */
    record Line(byte[] bytes) implements Input {
    }

    /** A synchronising literal was announced and accepted: the client waits for "+". */
    record Continue(long size) implements Input {
    }

    /**
     * A command that could not be taken in (its literal could not be spooled); it is dropped.
     *
     * @param tag the command's tag
     * @param reply the tagged reply's text
     */
    record Failed(String tag, String reply) implements Input {
    }

    /**
     * A line longer than the limit; the reader skipped it to its end.
     *
     * @param tag the command's tag if one could be read, else "*"
     */
    record TooLong(String tag) implements Input {
    }

    /**
     * A literal larger than allowed; the command is dropped.
     *
     * @param tag the command's tag if one could be read
     * @param size the announced size
     * @param synchronising whether the client waits for "+" (it did not send the bytes)
     * @param append whether the command was APPEND (the APPENDLIMIT applies)
     */
    record LiteralTooBig(String tag, long size, boolean synchronising, boolean append) implements Input {
    }
}
