package org.postbus.imap.internal.codec;

import java.util.List;

/**
 * One complete client command as it arrived: its text with the literal markers left in place
 * ({@code {5}}, {@code {5+}}, {@code ~{5}}), and the literals' bytes in order.
 *
 * @param text the command's lines joined, without the final line end
 * @param literals each literal, in order of appearance
 */
public record RawCommand(byte[] text, List<Literal> literals) {

    /** The size of the command, literals included. */
    public long size() {
        long size = text.length;
        for (Literal literal : literals) {
            size += literal.size();
        }
        return size;
    }

    /** Deletes the spool files of its literals. */
    public void release() {
        for (Literal literal : literals) {
            literal.release();
        }
    }
}
