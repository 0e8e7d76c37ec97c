package org.postbus.smtp.internal.session;

import org.postbus.protocol.InputBuffer;
import org.postbus.smtp.internal.codec.ByteSink;
import org.postbus.smtp.internal.codec.ChunkReader;
import org.postbus.smtp.internal.codec.CommandLine;
import org.postbus.smtp.internal.codec.CommandLineReader;
import org.postbus.smtp.internal.codec.DataReader;

/**
 * A session's received bytes and how they are read now: as command lines, as a message after
 * DATA, or as a BDAT chunk. The commands switch the mode in the same turn that decodes, so the
 * byte after the command is already read the new way.
 */
final class Input {

    private enum Mode { COMMAND, DATA, CHUNK }

    private final InputBuffer buffer = new InputBuffer();
    private final CommandLineReader lines;
    private final DataReader data = new DataReader();
    private final ChunkReader chunk = new ChunkReader();
    private Mode mode = Mode.COMMAND;
    private ByteSink sink = ByteSink.DISCARD;
    private Runnable end;

    Input(int maxLineLength) {
        this.lines = new CommandLineReader(maxLineLength);
    }

    void append(byte[] bytes) {
        buffer.append(bytes);
    }

    /** Whether command lines are expected. */
    boolean commands() {
        return mode == Mode.COMMAND;
    }

    /** Whether the message bytes received so far can be taken without touching the disk. */
    boolean contentInMemory() {
        return mode == Mode.COMMAND || sink.inMemory(buffer.available());
    }

    /** Whether anything is received but not yet handled, or a message is being received. */
    boolean pending() {
        return mode != Mode.COMMAND || buffer.available() > 0;
    }

    /** The next command line, or {@link CommandLine#NEED_MORE}. */
    CommandLine line() {
        return lines.read(buffer);
    }

    /**
     * Passes message bytes on.
     *
     * @return what to run now that the message or chunk is complete, or null if it is not yet
     */
    Runnable content() {
        boolean complete = mode == Mode.DATA ? data.read(buffer, sink) : chunk.read(buffer, sink);
        if (!complete) {
            return null;
        }
        Runnable finished = end;
        mode = Mode.COMMAND;
        sink = ByteSink.DISCARD;
        end = null;
        return finished;
    }

    void expectData(ByteSink target, Runnable then) {
        data.reset();
        expect(Mode.DATA, target, then);
    }

    void expectChunk(long size, ByteSink target, Runnable then) {
        chunk.start(size);
        expect(Mode.CHUNK, target, then);
    }

    /** Drops everything received: plaintext pipelined after STARTTLS. */
    void discard() {
        buffer.clear();
        lines.reset();
    }

    private void expect(Mode next, ByteSink target, Runnable then) {
        mode = next;
        sink = target;
        end = then;
    }
}
