package org.postbus.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The administrator's password: generated on first start, printed once, and kept in
 * {@code data/admin.secret} (mode 600) for the local {@code bin/postbus} commands. The web
 * console's credentials file is derived from it on every start, so that the console never falls
 * back to its built-in default password.
 */
public final class AdminSecret {

    /** The administrator's user name, for the web console and the REST API. */
    public static final String USER = "admin";

    /** The web console's configuration PID; its file in {@code etc/} holds the hashed password. */
    public static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";

    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private AdminSecret() {
    }

    /**
     * Reads the secret, creating it when absent.
     *
     * @return the secret, and whether it was just created (so the caller prints it once)
     */
    public static Created ensure(Path file) throws IOException {
        Optional<String> existing = read(file);
        if (existing.isPresent()) {
            return new Created(existing.get(), false);
        }
        SecureRandom random = new SecureRandom();
        StringBuilder secret = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            secret.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, secret + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return new Created(secret.toString(), true);
    }

    /** The secret in {@code file}, if the file exists and is not empty. */
    public static Optional<String> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String s = Files.readString(file).strip();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /**
     * Writes the web console's credentials file for {@code secret}, unless it already says so.
     */
    public static void writeConsoleConfig(Path etc, String secret) throws IOException {
        Path file = etc.resolve(CONSOLE_PID + ".cfg");
        String text = "# Written by Postbus from data/admin.secret on every start: the web console is for the admin only.\n"
                + "username = " + USER + "\n"
                + "password = {sha-256}" + sha256(secret) + "\n"
                + "manager.root = /system/console\n"
                + "realm = Postbus administration\n";
        if (Files.exists(file) && Files.readString(file).equals(text)) {
            return;
        }
        Files.createDirectories(etc);
        Path tmp = etc.resolve('.' + file.getFileName().toString() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String sha256(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /**
     * The secret, and whether it was made just now.
     */
    public record Created(String secret, boolean isNew) {
    }
}
