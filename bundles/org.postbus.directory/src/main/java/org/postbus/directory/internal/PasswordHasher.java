package org.postbus.directory.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}).
 *
 * <p>The parameters travel inside each stored string, so raising the cost later leaves existing
 * hashes verifiable; they are re-hashed only when their owner sets a new password.
 */
final class PasswordHasher {

    /** Salt length: RFC 9106 recommends 16 bytes. */
    static final int SALT_BYTES = 16;
    /** Tag length: 32 bytes, as RFC 9106 recommends for password hashing. */
    static final int HASH_BYTES = 32;

    private static final String PREFIX = "$argon2id$v=19$";
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    /**
     * Argon2 cost parameters.
     *
     * @param memoryKib memory in KiB
     * @param iterations passes over the memory
     * @param parallelism lanes
     */
    record Params(int memoryKib, int iterations, int parallelism) {

        /** OWASP's minimum for Argon2id (2024): 19 MiB, 2 passes, 1 lane. */
        static final Params DEFAULT = new Params(19456, 2, 1);

        // Upper bounds keep a tampered file or a typo in the configuration from making one login
        // allocate gigabytes or spin for minutes.
        private static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
        private static final int MAX_ITERATIONS = 1000;
        private static final int MAX_PARALLELISM = 255;

        /** Checks the ranges Argon2 and common sense allow. */
        Params {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException(
                        "argon2 parallelism must be 1.." + MAX_PARALLELISM + ": " + parallelism);
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException(
                        "argon2 iterations must be 1.." + MAX_ITERATIONS + ": " + iterations);
            }
            if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException("argon2 memory must be 8 KiB per lane.." + MAX_MEMORY_KIB
                        + " KiB: " + memoryKib);
            }
        }
    }

    /**
     * A parsed PHC string.
     *
     * @param params the cost it was made with
     * @param salt its salt
     * @param hash its tag
     */
    record Phc(Params params, byte[] salt, byte[] hash) {
    }

    private final Params params;
    private final SecureRandom random;
    private final String dummy;

    /** A hasher that makes new hashes with {@code params}. */
    PasswordHasher(Params params, SecureRandom random) {
        this.params = params;
        this.random = random;
        // Random salt and tag: verifying against it costs one full hash and never succeeds.
        this.dummy = format(params, randomBytes(SALT_BYTES), randomBytes(HASH_BYTES));
    }

    /** The parameters new hashes are made with. */
    Params params() {
        return params;
    }

    /** Hashes a password with a fresh salt. */
    String hash(char[] password) {
        byte[] salt = randomBytes(SALT_BYTES);
        byte[] tag = derive(password, salt, params, HASH_BYTES);
        return format(params, salt, tag);
    }

    /**
     * Checks a password against a PHC string, in time independent of where the tags differ.
     *
     * @return false also when {@code phc} cannot be parsed
     */
    boolean verify(char[] password, String phc) {
        Phc parsed;
        try {
            parsed = parse(phc);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = derive(password, parsed.salt(), parsed.params(), parsed.hash().length);
        return MessageDigest.isEqual(actual, parsed.hash());
    }

    /**
     * Spends as long as checking a real account would, and fails: used for unknown users so the
     * response time does not reveal who exists.
     */
    boolean verifyDummy(char[] password) {
        verify(password, dummy);
        return false;
    }

    /** Formats the standard PHC string. */
    static String format(Params params, byte[] salt, byte[] hash) {
        return PREFIX + "m=" + params.memoryKib() + ",t=" + params.iterations() + ",p=" + params.parallelism()
                + '$' + B64.encodeToString(salt) + '$' + B64.encodeToString(hash);
    }

    /**
     * Parses {@code $argon2id$v=19$m=M,t=T,p=P$salt$hash}.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the hash itself)
     */
    static Phc parse(String phc) {
        if (phc == null || !phc.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an argon2id (v=19) PHC string");
        }
        String[] parts = phc.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a PHC string needs parameters, salt and hash");
        }
        String[] fields = parts[0].split(",", -1);
        if (fields.length != 3 || !fields[0].startsWith("m=") || !fields[1].startsWith("t=")
                || !fields[2].startsWith("p=")) {
            throw new IllegalArgumentException("PHC parameters must be m=..,t=..,p=..");
        }
        Params params;
        byte[] salt;
        byte[] hash;
        try {
            params = new Params(Integer.parseInt(fields[0].substring(2)), Integer.parseInt(fields[1].substring(2)),
                    Integer.parseInt(fields[2].substring(2)));
            salt = B64_DECODER.decode(parts[1]);
            hash = B64_DECODER.decode(parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PHC parameter is not a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PHC " + e.getMessage(), e);
        }
        if (salt.length < 8 || salt.length > 64) {
            throw new IllegalArgumentException("PHC salt must be 8..64 bytes");
        }
        if (hash.length < 16 || hash.length > 64) {
            throw new IllegalArgumentException("PHC hash must be 16..64 bytes");
        }
        return new Phc(params, salt, hash);
    }

    /** Argon2id of the UTF-8 bytes of {@code password}; the bytes are wiped afterwards. */
    static byte[] derive(char[] password, byte[] salt, Params params, int length) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            return argon2id(bytes, salt, null, null, params, length);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    /**
     * Raw Argon2id (version 0x13) as RFC 9106 defines it; secret and associated data are only
     * used to check the implementation against the RFC's test vector.
     */
    static byte[] argon2id(byte[] password, byte[] salt, byte[] secret, byte[] associated, Params params, int length) {
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKib())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(salt);
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (associated != null) {
            builder.withAdditional(associated);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(builder.build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
