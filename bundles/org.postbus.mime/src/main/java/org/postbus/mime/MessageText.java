package org.postbus.mime;

import org.osgi.annotation.versioning.ProviderType;
import org.postbus.api.store.MessageContent;
import org.postbus.mime.internal.text.TextSearch;

/**
 * Text matching for IMAP SEARCH (and later the search index): a decoded, case-insensitive
 * substring match (Unicode case folding), over RFC 2047 decoded header values and the
 * transfer- and charset-decoded text parts. Bodies are streamed, never held whole. Malformed
 * content never fails a match (bad encodings are skipped, unknown charsets read as UTF-8); a
 * content that cannot be read throws {@link java.io.UncheckedIOException}.
 */
@ProviderType
public final class MessageText {

    private MessageText() {
    }

    /**
     * Whether a field's addresses contain {@code needle} (SEARCH FROM/TO/CC/BCC, RFC 9051 6.4.4):
     * each address is matched as the envelope gives it, {@code display-name <local@domain>} with
     * the name decoded and comments left out, a group by its name; decoded and case-folded like
     * {@link #headerContains(MimeMessage, String, String)}. An empty needle matches when the field
     * is present. Needs only the header.
     *
     * @since 1.1
     */
    public static boolean addressContains(MimeMessage m, String fieldName, String needle) {
        return TextSearch.addressContains(m, fieldName, needle);
    }

    /**
     * Whether a header field with that name (in the top-level header) contains the needle. An
     * empty needle matches any message that has the field.
     */
    public static boolean headerContains(MimeMessage m, MessageContent c, String fieldName, String needle) {
        return TextSearch.headerContains(m, fieldName, needle);
    }

    /**
     * Whether a header field with that name (in the top-level header) contains the needle; needs
     * only the header ({@link MimeParser#parseHeader} will do). An empty needle matches any
     * message that has the field.
     */
    public static boolean headerContains(MimeMessage m, String fieldName, String needle) {
        return TextSearch.headerContains(m, fieldName, needle);
    }

    /** Whether the body text contains the needle: text/* parts, decoded, and attached messages' text. */
    public static boolean bodyContains(MimeMessage m, MessageContent c, String needle) {
        return TextSearch.bodyContains(m, c, needle);
    }

    /** Whether the header (any field, decoded) or the body contains the needle (IMAP SEARCH TEXT). */
    public static boolean textContains(MimeMessage m, MessageContent c, String needle) {
        return TextSearch.textContains(m, c, needle);
    }
}
