package org.postbus.directory.internal.scram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;

/**
 * Credentials for user names that have none, derived from a secret key: the same name always
 * gets the same salt, before and after a restart, so asking twice does not reveal that a name
 * is unknown. The key is kept in {@value #FILE_NAME} beside the directory file.
 */
public final class FakeCredentials {

    /** The key's file in the directory folder. */
    public static final String FILE_NAME = "scram-fake.key";

    private static final int KEY_BYTES = 32;

    private final byte[] key;
    private final int iterations;

    private FakeCredentials(byte[] key, int iterations) {
        this.key = key;
        this.iterations = iterations;
    }

    /**
     * Reads the key in {@code dir}, or makes and saves one.
     *
     * @param iterations the iteration count real credentials get, so fakes look alike
     * @throws IOException if the key can neither be read nor written
     */
    public static FakeCredentials open(Path dir, int iterations, SecureRandom random) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        for (int attempt = 0; attempt < 2; attempt++) {
            if (Files.exists(file)) {
                byte[] key = Files.readAllBytes(file);
                if (key.length == KEY_BYTES) {
                    return new FakeCredentials(key, iterations);
                }
                // A truncated key (a crash while writing it) protects nothing; make a new one.
                Files.delete(file);
            }
            byte[] key = new byte[KEY_BYTES];
            random.nextBytes(key);
            try {
                if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
                Files.write(file, key, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                return new FakeCredentials(key, iterations);
            } catch (FileAlreadyExistsException raced) {
                // Another instance wrote it first: read theirs.
            }
        }
        throw new IOException("cannot create " + file);
    }

    /** A key kept in memory only; for tests. */
    public static FakeCredentials inMemory(byte[] key, int iterations) {
        return new FakeCredentials(Arrays.copyOf(key, KEY_BYTES), iterations);
    }

    /** The fake credential of {@code username}; no password matches it. */
    public ScramCredential of(String username) {
        String name = username.toLowerCase(Locale.ROOT);
        byte[] salt = Arrays.copyOf(ScramCredential.hmac(key, ("salt\0" + name).getBytes(StandardCharsets.UTF_8)),
                ScramCredential.SALT_BYTES);
        // Keys no password can produce (nobody knows a preimage), made from the secret so that
        // repeated exchanges for the name are identical.
        byte[] stored = ScramCredential.hmac(key, ("stored\0" + name).getBytes(StandardCharsets.UTF_8));
        byte[] server = ScramCredential.hmac(key, ("server\0" + name).getBytes(StandardCharsets.UTF_8));
        return new ScramCredential(salt, iterations, stored, server);
    }
}
