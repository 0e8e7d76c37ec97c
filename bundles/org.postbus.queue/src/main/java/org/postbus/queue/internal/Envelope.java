package org.postbus.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.queue.QueueEntry;

/**
 * The mutable state of one queued message: its envelope and, per recipient, whether it is still
 * pending, delivered or failed for good. Guarded by the {@link QueueComponent}: only one delivery
 * works on an envelope at a time.
 */
final class Envelope {

    /** What became of one recipient. */
    enum State { PENDING, DELIVERED, FAILED }

    /** One recipient and, once it failed for good, why. */
    static final class Recipient {
        final MailAddress address;
        State state = State.PENDING;
        /** RFC 3463 status, such as {@code 5.1.1}. */
        String status = "";
        /** The reply or reason, such as {@code 550 5.1.1 no such user}. */
        String diagnostic = "";
        /** The server that answered, empty when none did. */
        String remoteMta = "";

        Recipient(MailAddress address) {
            this.address = address;
        }
    }

    final String id;
    final Optional<MailAddress> sender;
    final Instant queued;
    final long size;
    final List<Recipient> recipients;
    int attempts;
    Instant nextAttempt;
    Optional<String> lastError = Optional.empty();

    Envelope(String id, Optional<MailAddress> sender, Instant queued, long size, List<Recipient> recipients) {
        this.id = id;
        this.sender = sender;
        this.queued = queued;
        this.size = size;
        this.recipients = recipients;
        this.nextAttempt = queued;
    }

    List<Recipient> pending() {
        return recipients.stream().filter(r -> r.state == State.PENDING).toList();
    }

    List<Recipient> failed() {
        return recipients.stream().filter(r -> r.state == State.FAILED).toList();
    }

    QueueEntry entry() {
        return new QueueEntry(id, sender, pending().stream().map(r -> r.address).toList(), size, queued,
                attempts, nextAttempt, lastError);
    }

    void write(OutputStream out) throws IOException {
        // Sorted keys: a person reading the file finds it in order.
        TreeMap<String, String> p = new TreeMap<>();
        p.put("id", id);
        p.put("sender", sender.map(MailAddress::toString).orElse(""));
        p.put("queued", queued.toString());
        p.put("size", Long.toString(size));
        p.put("attempts", Integer.toString(attempts));
        p.put("next", nextAttempt.toString());
        lastError.ifPresent(e -> p.put("error", e));
        for (int i = 0; i < recipients.size(); i++) {
            Recipient r = recipients.get(i);
            String k = String.format("rcpt.%04d", i);
            p.put(k, r.address.toString());
            p.put(k + ".state", r.state.name());
            p.put(k + ".status", r.status);
            p.put(k + ".diagnostic", r.diagnostic);
            p.put(k + ".mta", r.remoteMta);
        }
        Properties props = new Properties();
        props.putAll(p);
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        props.store(w, "Postbus outbound queue envelope");
        w.flush();
    }

    static Envelope read(InputStream in) throws IOException {
        Properties p = new Properties();
        p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        String id = required(p, "id");
        String senderText = p.getProperty("sender", "");
        Optional<MailAddress> sender = senderText.isEmpty() ? Optional.empty()
                : Optional.of(MailAddress.parse(senderText));
        List<Recipient> recipients = new ArrayList<>();
        for (int i = 0; p.containsKey(String.format("rcpt.%04d", i)); i++) {
            String k = String.format("rcpt.%04d", i);
            Recipient r = new Recipient(MailAddress.parse(p.getProperty(k)));
            r.state = State.valueOf(p.getProperty(k + ".state", "PENDING"));
            r.status = p.getProperty(k + ".status", "");
            r.diagnostic = p.getProperty(k + ".diagnostic", "");
            r.remoteMta = p.getProperty(k + ".mta", "");
            recipients.add(r);
        }
        Envelope e = new Envelope(id, sender, Instant.parse(required(p, "queued")),
                Long.parseLong(required(p, "size")), recipients);
        e.attempts = Integer.parseInt(p.getProperty("attempts", "0"));
        e.nextAttempt = Instant.parse(p.getProperty("next", e.queued.toString()));
        e.lastError = Optional.ofNullable(p.getProperty("error"));
        return e;
    }

    private static String required(Properties p, String key) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException("envelope without " + key);
        }
        return v;
    }
}
