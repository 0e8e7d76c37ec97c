package org.postbus.delivery.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.queue.OutboundQueue;
import org.postbus.api.queue.QueueEntry;
import org.postbus.api.store.MessageContent;

/** A queue that records what it is given, or fails as told. */
final class RecordingQueue implements OutboundQueue {

    /** One enqueue() call. */
    record Queued(Envelope envelope, String content) {

        Optional<MailAddress> sender() {
            return envelope.sender();
        }

        List<MailAddress> recipients() {
            return envelope.addresses();
        }
    }

    /** One notifyDelivered() call. */
    record Notice(Envelope envelope, List<EnvelopeRecipient> delivered, String content) {
    }

    final List<Queued> queued = new CopyOnWriteArrayList<>();
    final List<Notice> notices = new CopyOnWriteArrayList<>();
    volatile IOException failure;
    volatile IOException noticeFailure;

    @Override
    public String enqueue(Envelope envelope, MessageContent content) throws IOException {
        if (failure != null) {
            throw failure;
        }
        queued.add(new Queued(envelope, read(content)));
        return "q" + queued.size();
    }

    @Override
    public void notifyDelivered(Envelope envelope, List<EnvelopeRecipient> delivered, MessageContent content)
            throws IOException {
        if (noticeFailure != null) {
            throw noticeFailure;
        }
        notices.add(new Notice(envelope, List.copyOf(delivered), read(content)));
    }

    private static String read(MessageContent content) throws IOException {
        try (InputStream in = content.open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
