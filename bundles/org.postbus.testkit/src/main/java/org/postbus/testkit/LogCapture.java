package org.postbus.testkit;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Collects what SLF4J Simple prints while still showing it. Works when the test module's
 * {@code simplelogger.properties} sends the log to {@code System.out}, which SLF4J Simple looks
 * up at every line, so replacing {@code System.out} catches it.
 */
public final class LogCapture implements AutoCloseable {

    private final PrintStream original = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    /** Starts capturing; {@link #close()} restores {@code System.out}. */
    public LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Every line printed so far. */
    public List<String> lines() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** The lines logged at {@code level}, such as {@code WARN}. */
    public List<String> lines(String level) {
        return lines().stream().filter(line -> line.contains(" " + level + " ")).toList();
    }

    @Override
    public void close() {
        System.setOut(original);
    }
}
