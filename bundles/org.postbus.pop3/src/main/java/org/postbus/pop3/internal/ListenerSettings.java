package org.postbus.pop3.internal;

import static org.postbus.protocol.ProtocolSettings.require;

import java.time.Duration;
import java.util.Objects;
import org.postbus.protocol.ProtocolSettings;

/**
 * A listener's configuration, checked and with its defaults filled in.
 *
 * @param name the listener's name, as in {@code pop3-NAME} and {@code etc/...listener-NAME.cfg}
 * @param host the address to listen on
 * @param port the TCP port; 0 for any free one
 * @param implicitTls TLS from the first byte
 * @param starttls whether STLS is offered on a plain connection
 * @param authPlaintextLoopback whether logins work without TLS from the loopback address
 * @param maxLineLength the longest command line, CRLF included
 * @param commandTimeout how long the rest of a line may take, and how long a client may take to read
 * @param idleTimeout how long a connection may wait between commands
 * @param maxConnections the most connections at once
 * @param maxConnectionsPerIp the most connections at once from one address
 * @param maxConnectionsPerUser the most logged-in sessions of one user at once
 * @param maxErrors refused commands after which the connection is closed
 * @param maxAuthFailures failed logins after which the connection is closed
 * @param authFailureDelay the pause before the reply to a failed login
 * @param lockoutFailures failed logins from one address after which it is locked out
 * @param lockoutTime how long a lockout lasts, and the window failures are counted in
 * @param hostname this server's name in the greeting
 */
public record ListenerSettings(String name, String host, int port, boolean implicitTls, boolean starttls,
        boolean authPlaintextLoopback, int maxLineLength, Duration commandTimeout, Duration idleTimeout,
        int maxConnections, int maxConnectionsPerIp, int maxConnectionsPerUser, int maxErrors, int maxAuthFailures,
        Duration authFailureDelay, int lockoutFailures, Duration lockoutTime, String hostname)
        implements ProtocolSettings {

    /** RFC 1939 section 3: an autologout timer of at least 10 minutes. */
    static final Duration MIN_IDLE_TIMEOUT = Duration.ofMinutes(10);

    /** Checks the values; an invalid one is named in the exception's message. */
    public ListenerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostname, "hostname");
        require(port >= 0 && port <= 65535, "port must be 0 to 65535: " + port);
        require(maxLineLength >= 255, "max.line.length must be at least 255 (RFC 2449 4)");
        require(commandTimeout.toMillis() > 0 && idleTimeout.toMillis() > 0, "timeouts must be positive");
        require(maxConnections > 0 && maxConnectionsPerIp > 0 && maxConnectionsPerUser > 0,
                "connection limits must be positive");
        require(maxErrors > 0 && maxAuthFailures > 0 && lockoutFailures > 0, "error limits must be positive");
        require(!authFailureDelay.isNegative(), "auth.failure.delay.millis must not be negative");
        require(lockoutTime.toMillis() > 0, "lockout.seconds must be positive");
    }

    /**
     * The settings of a configuration.
     *
     * @param config the configuration as Declarative Services gives it
     * @param pid its PID, such as {@code org.postbus.pop3.listener~pop3}, for the default name
     */
    public static ListenerSettings from(ListenerConfig config, String pid) {
        Duration idle = Duration.ofSeconds(config.idle_timeout_seconds());
        require(idle.compareTo(MIN_IDLE_TIMEOUT) >= 0,
                "idle.timeout.seconds must be at least 600 (RFC 1939 3): " + config.idle_timeout_seconds());
        return new ListenerSettings(name(config.name(), pid), config.host().strip(), config.port(),
                config.implicit_tls(), config.starttls(), config.auth_plaintext_loopback(), config.max_line_length(),
                Duration.ofSeconds(config.command_timeout_seconds()), idle, config.max_connections(),
                config.max_connections_per_ip(), config.max_connections_per_user(), config.max_errors(),
                config.max_auth_failures(), Duration.ofMillis(config.auth_failure_delay_millis()),
                config.lockout_failures(), Duration.ofSeconds(config.lockout_seconds()),
                config.hostname().isBlank() ? ProtocolSettings.localHostName() : config.hostname().strip());
    }

    /** The health check's name: {@code pop3-NAME}. */
    public String healthName() {
        return "pop3-" + name;
    }

    /** The file an administrator edits to change this listener. */
    public String configFile() {
        return "etc/" + Pop3ListenerComponent.FACTORY_PID + "-" + name + ".cfg";
    }

    /** The environment variable the shipped configuration takes the port from, if it is a standard listener. */
    public String portVariable() {
        return switch (name) {
            case "pop3" -> "POSTBUS_POP3_PORT";
            case "pop3s" -> "POSTBUS_POP3S_PORT";
            default -> "";
        };
    }

    static String name(String configured, String pid) {
        return ProtocolSettings.name(configured, pid, "pop3");
    }
}
