package org.postbus.imap.internal;

import static org.postbus.protocol.ProtocolSettings.require;

import java.time.Duration;
import java.util.Objects;
import org.postbus.protocol.ProtocolSettings;

/**
 * A listener's configuration, checked and with its defaults filled in (see {@link ListenerConfig}
 * for the meaning of each value).
 */
public record ListenerSettings(String name, String host, int port, boolean implicitTls, boolean starttls,
        boolean authPlaintextLoopback, int maxLineLength, long maxLiteralSize, boolean literalMinus,
        Duration loginTimeout, Duration commandTimeout, Duration idleTimeout, int maxConnections,
        int maxConnectionsPerIp, int maxConnectionsPerUser, int maxErrors, Duration authFailureDelay,
        int maxAuthFailures, int ipLockoutFailures, Duration ipLockout) implements ProtocolSettings {

    /** Checks the values; an invalid one is named in the exception's message. */
    public ListenerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        require(port >= 0 && port <= 65535, "port must be 0 to 65535: " + port);
        require(maxLineLength >= 1000, "max.line.length must be at least 1000");
        require(maxLiteralSize > 0 && maxLiteralSize <= Integer.MAX_VALUE - 64,
                "max.literal.size must be 1 to " + (Integer.MAX_VALUE - 64));
        require(loginTimeout.toMillis() > 0 && commandTimeout.toMillis() > 0 && idleTimeout.toMillis() > 0,
                "timeouts must be positive");
        require(maxConnections > 0 && maxConnectionsPerIp > 0 && maxConnectionsPerUser > 0,
                "connection limits must be positive");
        require(maxErrors > 0 && maxAuthFailures > 0 && ipLockoutFailures > 0, "error limits must be positive");
        require(!authFailureDelay.isNegative(), "auth.failure.delay.millis must not be negative");
    }

    /** The settings of a configuration; {@code pid} gives the default name. */
    public static ListenerSettings from(ListenerConfig c, String pid) {
        return new ListenerSettings(name(c.name(), pid), c.host().strip(), c.port(), c.implicit_tls(), c.starttls(),
                c.auth_plaintext_loopback(), c.max_line_length(), c.max_literal_size(), c.literal_minus(),
                Duration.ofSeconds(c.login_timeout_seconds()), Duration.ofSeconds(c.command_timeout_seconds()),
                Duration.ofSeconds(c.idle_timeout_seconds()), c.max_connections(), c.max_connections_per_ip(),
                c.max_connections_per_user(), c.max_errors(), Duration.ofMillis(c.auth_failure_delay_millis()),
                c.max_auth_failures(), c.ip_lockout_failures(), Duration.ofSeconds(c.ip_lockout_seconds()));
    }

    /** The health check's name: {@code imap-NAME}. */
    public String healthName() {
        return "imap-" + name;
    }

    /** The file an administrator edits to change this listener. */
    public String configFile() {
        return "etc/" + ImapListenerComponent.FACTORY_PID + "-" + name + ".cfg";
    }

    /** The environment variable the shipped configuration takes the port from. */
    public String portVariable() {
        return switch (name) {
            case "imap" -> "POSTBUS_IMAP_PORT";
            case "imaps" -> "POSTBUS_IMAPS_PORT";
            default -> "";
        };
    }

    static String name(String configured, String pid) {
        return ProtocolSettings.name(configured, pid, "imap");
    }
}
