package org.postbus.mime;

import java.time.Instant;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.postbus.mime.internal.sort.Collation;
import org.postbus.mime.internal.sort.SortKeyExtractor;

/**
 * The RFC 5256 / RFC 5957 sort keys of a message. Strings are RFC 2047 decoded already; the
 * server compares them with the i;unicode-casemap collation ({@link #collationKey(String)}), ties
 * broken by sequence number.
 *
 * @param baseSubject the base subject (RFC 5256 section 2.1), decoded
 * @param sentDate the Date: header, if readable (the server falls back to the internal date)
 * @param fromMailbox the addr-mailbox (local part) of the first From address, or ""
 * @param toMailbox the addr-mailbox of the first To address, or ""
 * @param ccMailbox the addr-mailbox of the first Cc address, or ""
 * @param fromDisplay DISPLAYFROM (RFC 5957): the first From display name, else its addr-spec, or ""
 * @param toDisplay DISPLAYTO (RFC 5957): the first To display name, else its addr-spec, or ""
 */
@ProviderType
public record SortKeys(String baseSubject, Optional<Instant> sentDate, String fromMailbox, String toMailbox,
        String ccMailbox, String fromDisplay, String toDisplay) {

    /**
     * The i;unicode-casemap collation key of a string (RFC 5051), which IMAP SORT and THREAD use
     * to compare the string keys: each character mapped to titlecase (simple mapping), then
     * canonically decomposed (NFD). Compare keys with {@link String#compareTo}, which orders them
     * as RFC 5051's octet comparison does for all but supplementary characters.
     */
    public static String collationKey(String s) {
        return Collation.key(s);
    }

    /** The sort keys of a parsed message. */
    public static SortKeys of(MimeMessage message) {
        return SortKeyExtractor.of(message);
    }
}
