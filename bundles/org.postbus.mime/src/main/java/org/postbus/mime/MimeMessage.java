package org.postbus.mime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.postbus.mime.internal.HeaderText;
import org.postbus.mime.internal.MessageIds;

/**
 * A parsed message: its root part and the header values IMAP, sorting and threading ask for.
 * Immutable, thread-safe and small: it holds the structure and header fields, never body bytes;
 * the bytes stay in the {@link org.postbus.api.store.MessageContent} it was parsed from.
 */
@ProviderType
public final class MimeMessage {

    private final MimePart root;
    private final Optional<Instant> sentDate;
    private final Optional<String> messageId;
    private final List<String> references;
    private final boolean headerOnly;

    MimeMessage(MimePart root) {
        this(root, false);
    }

    MimeMessage(MimePart root, boolean headerOnly) {
        this.root = root;
        this.headerOnly = headerOnly;
        this.sentDate = first("Date").flatMap(HeaderText::parseDate);
        this.messageId = first("Message-ID").flatMap(MessageIds::first);
        List<String> refs = new ArrayList<>();
        for (String value : root.header("References")) {
            refs.addAll(MessageIds.all(value));
        }
        if (refs.isEmpty()) {
            first("In-Reply-To").flatMap(MessageIds::first).ifPresent(refs::add);
        }
        this.references = List.copyOf(refs);
    }

    /**
     * Whether only the top-level header was parsed ({@link MimeParser#parseHeader}): header
     * fields, ENVELOPE, sort and threading keys and the root's header and text offsets are right;
     * the body's structure and line count are not known.
     */
    public boolean headerOnly() {
        return headerOnly;
    }

    /** The root part: the message's own header and body. */
    public MimePart root() {
        return root;
    }

    /** The message's size in bytes as parsed (the end of the root body). */
    public long size() {
        return root.bodyEnd();
    }

    /** The Date: header, parsed leniently; empty when missing or unreadable. */
    public Optional<Instant> sentDate() {
        return sentDate;
    }

    /** The header fields of the message, in order. */
    public List<HeaderField> fields() {
        return root.fields();
    }

    /** The values of the header fields with that name (ignoring case), unfolded and raw (undecoded). */
    public List<String> header(String name) {
        return root.header(name);
    }

    /** The first value of that header field, RFC 2047 decoded and trimmed. */
    public Optional<String> decodedHeader(String name) {
        return first(name).map(HeaderText::decode);
    }

    /** The Message-ID normalised to {@code <local@domain>} without comments or whitespace. */
    public Optional<String> messageId() {
        return messageId;
    }

    /**
     * The parent ids RFC 5256's REFERENCES algorithm starts from: the message ids of References,
     * in order, else the first message id of In-Reply-To, else nothing.
     */
    public List<String> references() {
        return references;
    }

    private Optional<String> first(String name) {
        for (HeaderField f : root.fields()) {
            if (f.is(name)) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "MimeMessage" + root;
    }
}
