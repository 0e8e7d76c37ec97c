package org.postbus.delivery.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.queue.OutboundQueue;
import org.postbus.api.queue.QueueEntry;
import org.postbus.api.store.MessageContent;

/** A queue that records what it is given, or fails as told. */
final class RecordingQueue implements OutboundQueue {

    /** One enqueue() call. */
    record Queued(Optional<MailAddress> sender, List<MailAddress> recipients, String content) {
    }

    final List<Queued> queued = new CopyOnWriteArrayList<>();
    volatile IOException failure;

    @Override
    public String enqueue(Optional<MailAddress> sender, List<MailAddress> recipients, MessageContent content)
            throws IOException {
        if (failure != null) {
            throw failure;
        }
        try (InputStream in = content.open()) {
            queued.add(new Queued(sender, List.copyOf(recipients), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        return "q" + queued.size();
    }

    @Override
    public List<QueueEntry> list() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<QueueEntry> get(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean retry(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(String id) {
        throw new UnsupportedOperationException();
    }
}
