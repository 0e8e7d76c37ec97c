package org.postbus.smtp.internal.message;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.postbus.api.delivery.MailTransaction;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MessageContent;

/**
 * A message this server received, as handed to the delivery pipeline. Immutable, except that
 * the header section is read once, when first asked for.
 */
public final class ReceivedTransaction implements MailTransaction {

    private final String id;
    private final Optional<MailAddress> sender;
    private final List<MailAddress> recipients;
    private final InetAddress clientAddress;
    private final String heloName;
    private final Optional<String> authenticatedUser;
    private final boolean secure;
    private final MessageContent content;
    /** The envelope with its parameters; empty for a plain one, made when asked for. */
    private final Optional<org.postbus.api.mail.Envelope> parameters;
    private volatile HeaderSection header;

    /** The envelope and client facts of the transaction; see {@link MailTransaction}. */
    public record Envelope(String id, Optional<MailAddress> sender, List<MailAddress> recipients,
            InetAddress clientAddress, String heloName, Optional<String> authenticatedUser, boolean secure) {

        /** Copies the recipients. */
        public Envelope {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(sender, "sender");
            recipients = List.copyOf(recipients);
            Objects.requireNonNull(clientAddress, "clientAddress");
            Objects.requireNonNull(heloName, "heloName");
            Objects.requireNonNull(authenticatedUser, "authenticatedUser");
        }
    }

    /** The transaction of {@code envelope} without extension parameters. */
    public ReceivedTransaction(Envelope envelope, MessageContent content) {
        this(envelope, Optional.empty(), content);
    }

    /**
     * The transaction of {@code envelope} with {@code content}, trace field included.
     *
     * @param parameters the same sender and recipients with their DSN, REQUIRETLS and SMTPUTF8
     *     parameters
     */
    public ReceivedTransaction(Envelope envelope, org.postbus.api.mail.Envelope parameters, MessageContent content) {
        this(envelope, Optional.of(parameters), content);
        if (!parameters.sender().equals(envelope.sender())
                || !parameters.addresses().equals(envelope.recipients())) {
            throw new IllegalArgumentException("the envelope parameters are for other addresses");
        }
    }

    private ReceivedTransaction(Envelope envelope, Optional<org.postbus.api.mail.Envelope> parameters,
            MessageContent content) {
        this.parameters = parameters;
        this.id = envelope.id();
        this.sender = envelope.sender();
        this.recipients = envelope.recipients();
        this.clientAddress = envelope.clientAddress();
        this.heloName = envelope.heloName();
        this.authenticatedUser = envelope.authenticatedUser();
        this.secure = envelope.secure();
        this.content = Objects.requireNonNull(content, "content");
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
    public org.postbus.api.mail.Envelope envelope() {
        return parameters.orElseGet(MailTransaction.super::envelope);
    }

    @Override
    public InetAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public String heloName() {
        return heloName;
    }

    @Override
    public Optional<String> authenticatedUser() {
        return authenticatedUser;
    }

    @Override
    public boolean secure() {
        return secure;
    }

    @Override
    public MessageContent content() {
        return content;
    }

    @Override
    public List<String> header(String name) {
        HeaderSection section = header;
        if (section == null) {
            section = HeaderSection.read(content);
            header = section;
        }
        return section.values(name);
    }

    @Override
    public String toString() {
        return "MailTransaction[" + id + " from " + sender.map(Object::toString).orElse("<>") + " to " + recipients + "]";
    }
}
