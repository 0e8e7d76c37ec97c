package org.postbus.queue.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postbus.api.delivery.MailTransaction;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MessageContent;

/**
 * A queued message handed to this server's own delivery pipeline, for recipients in a local
 * domain (notifications to local senders, above all) instead of a round trip through SMTP.
 */
final class LocalHandOff implements MailTransaction {

    private final String id;
    private final Envelope envelope;
    private final String heloName;
    private final MessageContent content;

    LocalHandOff(String id, Envelope envelope, String heloName, MessageContent content) {
        this.id = id;
        this.envelope = envelope;
        this.heloName = heloName;
        this.content = content;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Optional<MailAddress> sender() {
        return envelope.sender();
    }

    @Override
    public List<MailAddress> recipients() {
        return envelope.addresses();
    }

    @Override
    public Envelope envelope() {
        return envelope;
    }

    @Override
    public InetAddress clientAddress() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public String heloName() {
        return heloName;
    }

    @Override
    public Optional<String> authenticatedUser() {
        return Optional.empty();
    }

    @Override
    public boolean secure() {
        // It never left this host.
        return true;
    }

    @Override
    public MessageContent content() {
        return content;
    }

    @Override
    public List<String> header(String name) {
        try (InputStream in = content.open()) {
            return header(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Values of the header fields called {@code name}, unfolded, from the header section. */
    static List<String> header(InputStream in, String name) throws IOException {
        String section = new String(Dsn.headers(in), StandardCharsets.UTF_8);
        String unfolded = section.replaceAll("\r\n(?=[ \t])", "");
        List<String> values = new ArrayList<>();
        String wanted = name.toLowerCase(Locale.ROOT) + ":";
        for (String line : unfolded.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(wanted)) {
                values.add(line.substring(wanted.length()).strip());
            }
        }
        return values;
    }

    static List<String> header(MessageContent content, String name) throws IOException {
        try (InputStream in = content.open()) {
            return header(in, name);
        }
    }

    static List<String> header(byte[] bytes, String name) throws IOException {
        return header(new ByteArrayInputStream(bytes), name);
    }
}
