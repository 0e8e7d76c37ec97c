package org.postbus.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.postbus.api.mail.DsnNotify;
import org.postbus.api.mail.DsnReturn;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.queue.QueueEntry;

/**
 * The mutable state of one queued message: its envelope with the extension parameters that
 * travel with it (DSN, REQUIRETLS, SMTPUTF8) and, per recipient, whether it is still pending,
 * delivered or failed for good. Guarded by the {@link QueueComponent}: only one delivery works on
 * a message at a time.
 *
 * <p>On disk it is a properties file. Entries written before the extension parameters existed
 * lack their keys and read as a plain envelope.
 */
final class QueuedMessage {

    /** What became of one recipient. */
    enum State { PENDING, DELIVERED, FAILED }

    /** One recipient, its DSN parameters and, once it failed for good, why. */
    static final class Recipient {
        final MailAddress address;
        final Set<DsnNotify> notifyOn;
        final Optional<String> originalRecipient;
        State state = State.PENDING;
        /** RFC 3463 status, such as {@code 5.1.1}. */
        String status = "";
        /** The reply or reason, such as {@code 550 5.1.1 no such user}. */
        String diagnostic = "";
        /** The server that answered, empty when none did. */
        String remoteMta = "";
        /** Whether the sender was already told that delivery is delayed (told once only). */
        boolean delayNotified;

        Recipient(EnvelopeRecipient r) {
            this.address = r.address();
            this.notifyOn = r.notifyOn().isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(r.notifyOn()));
            this.originalRecipient = r.originalRecipient();
        }

        EnvelopeRecipient envelopeRecipient() {
            return new EnvelopeRecipient(address, notifyOn, originalRecipient);
        }
    }

    final String id;
    final Optional<MailAddress> sender;
    final Instant queued;
    final long size;
    final List<Recipient> recipients;
    final Optional<DsnReturn> dsnReturn;
    final Optional<String> envelopeId;
    final boolean requireTls;
    final boolean smtpUtf8;
    int attempts;
    Instant nextAttempt;
    Optional<String> lastError = Optional.empty();

    QueuedMessage(String id, Envelope envelope, Instant queued, long size) {
        this(id, envelope.sender(), queued, size,
                envelope.recipients().stream().map(Recipient::new).collect(Collectors.toCollection(ArrayList::new)),
                envelope.dsnReturn(), envelope.envelopeId(), envelope.requireTls(), envelope.smtpUtf8());
    }

    private QueuedMessage(String id, Optional<MailAddress> sender, Instant queued, long size, List<Recipient> recipients,
            Optional<DsnReturn> dsnReturn, Optional<String> envelopeId, boolean requireTls, boolean smtpUtf8) {
        this.id = id;
        this.sender = sender;
        this.queued = queued;
        this.size = size;
        this.recipients = recipients;
        this.dsnReturn = dsnReturn;
        this.envelopeId = envelopeId;
        this.requireTls = requireTls;
        this.smtpUtf8 = smtpUtf8;
        this.nextAttempt = queued;
    }

    List<Recipient> pending() {
        return recipients.stream().filter(r -> r.state == State.PENDING).toList();
    }

    List<Recipient> failed() {
        return recipients.stream().filter(r -> r.state == State.FAILED).toList();
    }

    /** The envelope as it was handed over, with every recipient. */
    Envelope envelope() {
        return new Envelope(sender, recipients.stream().map(Recipient::envelopeRecipient).toList(), dsnReturn,
                envelopeId, requireTls, smtpUtf8);
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
        dsnReturn.ifPresent(r -> p.put("ret", r.name()));
        envelopeId.ifPresent(e -> p.put("envid", e));
        if (requireTls) {
            p.put("requiretls", "true");
        }
        if (smtpUtf8) {
            p.put("smtputf8", "true");
        }
        for (int i = 0; i < recipients.size(); i++) {
            Recipient r = recipients.get(i);
            String k = String.format("rcpt.%04d", i);
            p.put(k, r.address.toString());
            p.put(k + ".state", r.state.name());
            p.put(k + ".status", r.status);
            p.put(k + ".diagnostic", r.diagnostic);
            p.put(k + ".mta", r.remoteMta);
            if (!r.notifyOn.isEmpty()) {
                p.put(k + ".notify", r.notifyOn.stream().sorted().map(Enum::name).collect(Collectors.joining(",")));
            }
            r.originalRecipient.ifPresent(o -> p.put(k + ".orcpt", o));
            if (r.delayNotified) {
                p.put(k + ".delaynotified", "true");
            }
        }
        Properties props = new Properties();
        props.putAll(p);
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        props.store(w, "Postbus outbound queue envelope");
        w.flush();
    }

    static QueuedMessage read(InputStream in) throws IOException {
        Properties p = new Properties();
        p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        String id = required(p, "id");
        String senderText = p.getProperty("sender", "");
        Optional<MailAddress> sender = senderText.isEmpty() ? Optional.empty()
                : Optional.of(MailAddress.parse(senderText));
        List<Recipient> recipients = new ArrayList<>();
        for (int i = 0; p.containsKey(String.format("rcpt.%04d", i)); i++) {
            String k = String.format("rcpt.%04d", i);
            String notify = p.getProperty(k + ".notify", "");
            Set<DsnNotify> notifyOn = notify.isBlank() ? Set.of() : Arrays.stream(notify.split(","))
                    .map(s -> DsnNotify.valueOf(s.strip().toUpperCase(Locale.ROOT))).collect(Collectors.toSet());
            Recipient r = new Recipient(new EnvelopeRecipient(MailAddress.parse(p.getProperty(k)), notifyOn,
                    Optional.ofNullable(p.getProperty(k + ".orcpt"))));
            r.state = State.valueOf(p.getProperty(k + ".state", "PENDING"));
            r.status = p.getProperty(k + ".status", "");
            r.diagnostic = p.getProperty(k + ".diagnostic", "");
            r.remoteMta = p.getProperty(k + ".mta", "");
            r.delayNotified = Boolean.parseBoolean(p.getProperty(k + ".delaynotified", "false"));
            recipients.add(r);
        }
        String ret = p.getProperty("ret");
        QueuedMessage e = new QueuedMessage(id, sender, Instant.parse(required(p, "queued")),
                Long.parseLong(required(p, "size")), recipients,
                ret == null ? Optional.empty() : Optional.of(DsnReturn.valueOf(ret.strip().toUpperCase(Locale.ROOT))),
                Optional.ofNullable(p.getProperty("envid")),
                Boolean.parseBoolean(p.getProperty("requiretls", "false")),
                Boolean.parseBoolean(p.getProperty("smtputf8", "false")));
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
