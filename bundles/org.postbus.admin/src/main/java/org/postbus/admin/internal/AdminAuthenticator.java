package org.postbus.admin.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks HTTP Basic credentials against the admin password kept in {@code data/admin.secret}.
 * The file is reread when it changes, so a new password applies without a restart. Clients that
 * fail too often are refused for a while, whatever they send.
 */
final class AdminAuthenticator {

    /** The administrator's user name. */
    static final String USER = "admin";

    private static final int MAX_FAILURES = 10;
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final Path secretFile;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private volatile Cached cached = new Cached(null, -1, -1);

    AdminAuthenticator(Path secretFile, Clock clock) {
        this.secretFile = secretFile;
        this.clock = clock;
    }

    /** The outcome of a check. */
    enum Outcome { ALLOWED, DENIED, LOCKED }

    /**
     * Checks an {@code Authorization} header from {@code client}.
     */
    Outcome check(String authorization, String client) {
        Instant now = clock.instant();
        Failures f = failures.get(client);
        if (f != null && f.count >= MAX_FAILURES && now.isBefore(f.since.plus(WINDOW))) {
            return Outcome.LOCKED;
        }
        if (authorized(authorization)) {
            failures.remove(client);
            return Outcome.ALLOWED;
        }
        failures.compute(client, (k, old) -> old == null || now.isAfter(old.since.plus(WINDOW))
                ? new Failures(1, now) : new Failures(old.count + 1, old.since));
        return Outcome.DENIED;
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String secret = secret();
        if (secret == null) {
            return false;
        }
        boolean userOk = MessageDigest.isEqual(USER.getBytes(StandardCharsets.UTF_8),
                decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8));
        boolean passwordOk = MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        return userOk & passwordOk;
    }

    private String secret() {
        try {
            if (!Files.isRegularFile(secretFile)) {
                return null;
            }
            long modified = Files.getLastModifiedTime(secretFile).toMillis();
            long size = Files.size(secretFile);
            Cached c = cached;
            if (c.modified != modified || c.size != size) {
                String value = Files.readString(secretFile).strip();
                c = new Cached(value.isEmpty() ? null : value, modified, size);
                cached = c;
            }
            return c.secret;
        } catch (IOException unreadable) {
            return null;
        }
    }

    private record Cached(String secret, long modified, long size) {
    }

    private record Failures(int count, Instant since) {
    }
}
