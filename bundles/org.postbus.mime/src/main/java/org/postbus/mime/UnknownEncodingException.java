package org.postbus.mime;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A part's Content-Transfer-Encoding is one this bundle cannot decode; IMAP answers
 * {@code NO [UNKNOWN-CTE]} (RFC 3516).
 */
@ProviderType
public class UnknownEncodingException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String encoding;

    /** @param encoding the transfer encoding as the part gives it */
    public UnknownEncodingException(String encoding) {
        super("Unknown Content-Transfer-Encoding: " + encoding);
        this.encoding = encoding;
    }

    /** The transfer encoding as the part gives it. */
    public String encoding() {
        return encoding;
    }
}
