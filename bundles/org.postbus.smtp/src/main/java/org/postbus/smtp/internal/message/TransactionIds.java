package org.postbus.smtp.internal.message;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifiers for received messages: the time in base 36, then random characters, so that they
 * sort roughly by arrival and do not repeat across restarts. They appear in logs, in the
 * {@code Received:} field and in the client's 250 reply; they are not secrets.
 */
public final class TransactionIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    private TransactionIds() {
    }

    /** A new identifier, 14 or so upper-case letters and digits. */
    public static String next() {
        StringBuilder id = new StringBuilder(Long.toString(System.currentTimeMillis(), 36).toUpperCase(Locale.ROOT));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 6; i++) {
            id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
