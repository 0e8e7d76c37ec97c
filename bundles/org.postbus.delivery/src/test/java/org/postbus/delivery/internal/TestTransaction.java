package org.postbus.delivery.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.postbus.api.delivery.MailTransaction;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MessageContent;

/** A received message as the SMTP bundle would hand it over. */
final class TestTransaction implements MailTransaction {

    static final String MESSAGE = "Received: from client.example (client.example [192.0.2.1])\r\n"
            + "\tby mx.example.org with ESMTP id t1; Mon, 1 Jan 2024 10:00:00 +0000\r\n"
            + "From: Alice <alice@elsewhere.example>\r\n"
            + "To: Bob <bob@example.org>\r\n"
            + "Subject: Hello\r\n"
            + "Message-ID: <1@elsewhere.example>\r\n"
            + "\r\n"
            + "Hi Bob,\r\n"
            + "\r\n"
            + "this is the body.\r\n";

    private final String id;
    private final Optional<MailAddress> sender;
    private final List<MailAddress> recipients;
    private final MessageContent content;
    /** The envelope with parameters, if given; else the plain one of the API's default. */
    private final Optional<Envelope> envelope;

    TestTransaction(String id, Optional<MailAddress> sender, List<MailAddress> recipients, MessageContent content) {
        this.id = id;
        this.sender = sender;
        this.recipients = List.copyOf(recipients);
        this.content = content;
        this.envelope = Optional.empty();
    }

    /** A transaction whose envelope carries parameters, as an SMTP transaction's does. */
    TestTransaction(String id, Envelope envelope, MessageContent content) {
        this.id = id;
        this.sender = envelope.sender();
        this.recipients = envelope.addresses();
        this.content = content;
        this.envelope = Optional.of(envelope);
    }

    /** A message from {@code alice@elsewhere.example} to the given recipients. */
    static TestTransaction to(String... recipients) {
        return new TestTransaction("t1", Optional.of(addr("alice@elsewhere.example")),
                List.of(recipients).stream().map(MailAddress::parse).toList(), content(MESSAGE));
    }

    /** The same message with an envelope that carries parameters; same sender and recipients. */
    TestTransaction withEnvelope(Envelope newEnvelope) {
        return new TestTransaction(id, newEnvelope, content);
    }

    TestTransaction withSender(Optional<MailAddress> newSender) {
        return new TestTransaction(id, newSender, recipients, content);
    }

    TestTransaction withContent(MessageContent newContent) {
        return new TestTransaction(id, sender, recipients, newContent);
    }

    static MailAddress addr(String text) {
        return MailAddress.parse(text);
    }

    static CountingContent content(String text) {
        return new CountingContent(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Optional<MailAddress> sender() {
        return sender;
    }

    @Override
    public List<MailAddress> recipients() {
        return recipients;
    }

    @Override
    public Envelope envelope() {
        return envelope.orElseGet(MailTransaction.super::envelope);
    }

    @Override
    public InetAddress clientAddress() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public String heloName() {
        return "client.example";
    }

    @Override
    public Optional<String> authenticatedUser() {
        return Optional.empty();
    }

    @Override
    public boolean secure() {
        return false;
    }

    @Override
    public MessageContent content() {
        return content;
    }

    @Override
    public List<String> header(String name) {
        List<String> values = new ArrayList<>();
        String wanted = name.toLowerCase(Locale.ROOT) + ":";
        try (InputStream in = content.open()) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r\n", -1);
            for (int i = 0; i < lines.length && !lines[i].isEmpty(); i++) {
                if (lines[i].toLowerCase(Locale.ROOT).startsWith(wanted)) {
                    StringBuilder value = new StringBuilder(lines[i].substring(wanted.length()).strip());
                    while (i + 1 < lines.length && (lines[i + 1].startsWith(" ") || lines[i + 1].startsWith("\t"))) {
                        value.append(' ').append(lines[++i].strip());
                    }
                    values.add(value.toString());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    /** Bytes in memory that count how often they are opened. */
    static final class CountingContent implements MessageContent {
        final byte[] data;
        final AtomicInteger opens = new AtomicInteger();

        CountingContent(byte[] data) {
            this.data = data;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public InputStream open(long offset, long length) {
            opens.incrementAndGet();
            int from = (int) Math.min(offset, data.length);
            int len = (int) Math.min(length, data.length - from);
            return new ByteArrayInputStream(data, from, len);
        }
    }
}
