package org.postbus.smtp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.postbus.api.delivery.DeliveryResult;
import org.postbus.api.delivery.DeliveryService;
import org.postbus.api.delivery.MailTransaction;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.MailAddress;

/** Keeps what it is given, read at once (the spool is gone after the reply), and accepts it. */
final class FakeDelivery implements DeliveryService {

    /** A delivered message as the pipeline saw it. */
    record Delivered(String id, Optional<MailAddress> sender, List<MailAddress> recipients, String helo,
            Optional<String> user, boolean secure, String content, List<String> subject, String thread,
            long size, Envelope envelope) {
    }

    final LinkedBlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
    volatile Function<MailTransaction, DeliveryResult> answer = transaction -> DeliveryResult.accepted(transaction.id());

    @Override
    public DeliveryResult deliver(MailTransaction transaction) {
        String content;
        try (InputStream in = transaction.content().open()) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        delivered.add(new Delivered(transaction.id(), transaction.sender(), transaction.recipients(),
                transaction.heloName(), transaction.authenticatedUser(), transaction.secure(), content,
                transaction.header("subject"), Thread.currentThread().getName(), transaction.content().size(),
                transaction.envelope()));
        return answer.apply(transaction);
    }

    /** The next delivered message, waiting a little for it. */
    Delivered next() throws InterruptedException {
        Delivered next = delivered.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("nothing delivered");
        }
        return next;
    }
}
