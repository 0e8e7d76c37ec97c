package org.postbus.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.postbus.api.store.MessageContent;

/** Message bytes in memory, as a store would hand them out. */
record TestContent(byte[] bytes) implements MessageContent {

    static TestContent of(String crlfText) {
        return new TestContent(crlfText.getBytes(StandardCharsets.UTF_8));
    }

    static TestContent resource(String path) {
        try (InputStream in = TestContent.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + path);
            }
            return new TestContent(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public InputStream open(long offset, long length) {
        int off = (int) Math.min(offset, bytes.length);
        return new ByteArrayInputStream(bytes, off, (int) Math.min(length, bytes.length - off));
    }

    static byte[] read(MessageContent c) {
        try (InputStream in = c.open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(MessageContent c) {
        return new String(read(c), StandardCharsets.UTF_8);
    }
}
