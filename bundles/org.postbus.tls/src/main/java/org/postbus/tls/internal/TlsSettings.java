package org.postbus.tls.internal;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS configuration with defaults applied and values checked.
 *
 * @param certificateFile the configured PEM certificate chain, if any
 * @param keyFile the configured PEM private key, if any
 * @param hostname the name of the self-signed certificate, lower case
 * @param protocols the protocols to enable, already filtered by {@link Protocols#select}
 * @param reloadInterval how often configured files are checked; zero turns the check off
 * @param storageDir where the self-signed certificate and key are kept
 */
record TlsSettings(
        Optional<Path> certificateFile,
        Optional<Path> keyFile,
        String hostname,
        List<String> protocols,
        Duration reloadInterval,
        Path storageDir) {

    /** Framework property naming the server's data folder. */
    static final String DATA_DIR_PROPERTY = "postbus.data";

    private static final Logger LOG = LoggerFactory.getLogger(TlsSettings.class);
    /** The longest label a DNS name may have (RFC 1035 section 2.3.4). */
    private static final int MAX_LABEL = 63;

    TlsSettings {
        Objects.requireNonNull(certificateFile, "certificateFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(hostname, "hostname");
        protocols = List.copyOf(protocols);
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        Objects.requireNonNull(storageDir, "storageDir");
    }

    /**
     * Reads a configuration.
     *
     * @param config the component configuration
     * @param dataDir the value of the framework property {@value #DATA_DIR_PROPERTY}, or null
     */
    static TlsSettings from(TlsConfiguration config, String dataDir) {
        return new TlsSettings(
                path("certificate_file", config.certificate_file()),
                path("key_file", config.key_file()),
                hostname(config.hostname()),
                Protocols.select(config.protocols() == null ? List.of() : Arrays.asList(config.protocols())),
                Duration.ofSeconds(Math.max(0, config.reload_interval_seconds())),
                storageDir(config.storage_dir(), dataDir));
    }

    /** Whether a certificate or key file is configured, so that the self-signed one is not meant. */
    boolean filesConfigured() {
        return certificateFile.isPresent() || keyFile.isPresent();
    }

    /** The file holding the private key: the key file, or else the certificate file. */
    Optional<Path> effectiveKeyFile() {
        return keyFile.isPresent() ? keyFile : certificateFile;
    }

    private static Optional<Path> path(String property, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(value.trim()).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            // Never fail activation: an encoded name points nowhere, so loading reports it missing.
            LOG.debug("TLS {} is not a valid path: {}", property, value, e);
            return Optional.of(Path.of(URLEncoder.encode(value.trim(), StandardCharsets.UTF_8))
                    .toAbsolutePath());
        }
    }

    static String hostname(String configured) {
        String name = configured == null ? "" : configured.trim();
        if (name.isEmpty()) {
            name = machineHostname();
        }
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            return "localhost";
        }
        try {
            return toAscii(name).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            LOG.warn("TLS hostname {} is not a valid host name ({}); using localhost", name, e.getMessage());
            return "localhost";
        }
    }

    /**
     * {@link IDN#toASCII} for a name with non-ASCII labels. An ASCII name, by far the usual one,
     * gets the same label checks without it: the class's first use loads Unicode tables that cost
     * 15 to 30 ms of CPU at every start.
     */
    static String toAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
            }
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty()) {
                throw new IllegalArgumentException("Empty label is not a legal name");
            }
            if (label.length() > MAX_LABEL) {
                throw new IllegalArgumentException("The label in the input is too long");
            }
        }
        return name;
    }

    private static String machineHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            LOG.warn("Cannot determine this machine's host name ({}); the self-signed TLS certificate"
                    + " is made for localhost; set hostname in org.postbus.tls", e.getMessage());
            return "localhost";
        }
    }

    private static Path storageDir(String configured, String dataDir) {
        if (configured != null && !configured.isBlank()) {
            try {
                return Path.of(configured.trim()).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                LOG.error("TLS storage.dir {} is not a valid path ({}); using the default",
                        configured, e.getMessage());
            }
        }
        Path data = Path.of("data");
        if (dataDir != null && !dataDir.isBlank()) {
            try {
                data = Path.of(dataDir.trim());
            } catch (InvalidPathException e) {
                LOG.error("Framework property {} {} is not a valid path ({}); using ./data",
                        DATA_DIR_PROPERTY, dataDir, e.getMessage());
            }
        }
        return data.resolve("tls").toAbsolutePath().normalize();
    }
}
