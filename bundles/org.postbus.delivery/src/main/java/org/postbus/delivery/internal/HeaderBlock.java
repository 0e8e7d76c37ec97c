package org.postbus.delivery.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.postbus.api.delivery.Header;
import org.postbus.api.mail.MailAddress;

/**
 * Header fields in their wire form, put in front of a message: {@code Name: value} lines ending in
 * CRLF, folded at white space when longer than RFC 5322's recommended 78 characters.
 */
final class HeaderBlock {

    /** RFC 5322 section 2.1.1: lines SHOULD be no longer than 78 characters. */
    static final int FOLD_AT = 78;

    private HeaderBlock() {
    }

    /** The {@code Return-Path:} field of local delivery (RFC 5321 section 4.4); {@code <>} for a bounce. */
    static Header returnPath(Optional<MailAddress> sender) {
        return new Header("Return-Path", "<" + sender.map(MailAddress::toString).orElse("") + ">");
    }

    /** The fields in order, each on its own (folded) lines; UTF-8 as RFC 6532 allows. */
    static byte[] encode(List<Header> headers) {
        if (headers.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * headers.size());
        for (Header h : headers) {
            out.writeBytes(fold(h.name() + ": " + h.value()).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /**
     * One field with its CRLF, folded before white space so that lines stay within
     * {@link #FOLD_AT} where the value allows it. A fold goes only where a line keeps text on both
     * sides of it (a line of white space alone would end the header section early in some
     * readers); a word longer than a line stays whole.
     */
    static String fold(String field) {
        int valueStart = field.indexOf(':') + 1;
        int lastText = field.length() - 1;
        while (lastText >= 0 && isWsp(field.charAt(lastText))) {
            lastText--;
        }
        StringBuilder out = new StringBuilder(field.length() + 8);
        int lineStart = 0;
        int lastFold = -1;
        for (int i = valueStart + 1; i < lastText; i++) {
            if (isWsp(field.charAt(i)) && !isWsp(field.charAt(i - 1))) {
                if (i - lineStart > FOLD_AT && lastFold > lineStart) {
                    out.append(field, lineStart, lastFold).append("\r\n");
                    lineStart = lastFold;
                }
                lastFold = i;
            }
        }
        if (field.length() - lineStart > FOLD_AT && lastFold > lineStart) {
            out.append(field, lineStart, lastFold).append("\r\n");
            lineStart = lastFold;
        }
        return out.append(field, lineStart, field.length()).append("\r\n").toString();
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }
}
