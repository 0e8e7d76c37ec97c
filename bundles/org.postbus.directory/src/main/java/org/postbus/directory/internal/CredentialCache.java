package org.postbus.directory.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.postbus.api.mail.MailAddress;

/**
 * Remembers recent successful logins for a short time, since an Argon2 check costs hundreds of
 * milliseconds and mail clients log in again for every poll.
 *
 * <p>Holds only a SHA-256 digest of the password, salted with a random key made per instance so
 * a heap dump does not yield digests that a precomputed table could reverse. Each entry also
 * remembers the stored hash it was checked against: once the password changes, the entry no
 * longer matches even if nobody invalidated it.
 */
final class CredentialCache {

    private record Entry(byte[] digest, String passwordHash, Instant expires) {
    }

    private final Duration ttl;
    private final byte[] key = new byte[32];
    private final ConcurrentMap<MailAddress, Entry> entries = new ConcurrentHashMap<>();

    /** A cache keeping entries for {@code ttl}; zero or negative turns it off. */
    CredentialCache(Duration ttl, SecureRandom random) {
        this.ttl = ttl;
        random.nextBytes(key);
    }

    /** Whether {@code password} was verified for {@code account} against {@code passwordHash} recently. */
    boolean matches(MailAddress account, String passwordHash, char[] password, Instant now) {
        if (ttl.isZero() || ttl.isNegative()) {
            return false;
        }
        Entry entry = entries.get(account);
        if (entry == null) {
            return false;
        }
        if (!now.isBefore(entry.expires()) || !entry.passwordHash().equals(passwordHash)) {
            entries.remove(account, entry);
            return false;
        }
        return MessageDigest.isEqual(entry.digest(), digest(password));
    }

    /** Remembers a successful verification. */
    void put(MailAddress account, String passwordHash, char[] password, Instant now) {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        if (entries.size() > 100_000) {
            // Entries expire only when looked up; sweep when the map grows unusually large.
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
        }
        entries.put(account, new Entry(digest(password), passwordHash, now.plus(ttl)));
    }

    /** Forgets the account's entry, when its password changes or it is removed. */
    void invalidate(MailAddress account) {
        entries.remove(account);
    }

    private byte[] digest(char[] password) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        sha256.update(key);
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        sha256.update(bytes.duplicate());
        if (bytes.hasArray()) {
            Arrays.fill(bytes.array(), (byte) 0);
        }
        return sha256.digest();
    }
}
