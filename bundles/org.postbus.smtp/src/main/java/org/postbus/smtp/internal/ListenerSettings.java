package org.postbus.smtp.internal;

import static org.postbus.protocol.ProtocolSettings.require;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.postbus.protocol.ProtocolSettings;

/**
 * A listener's configuration, checked and with its defaults filled in.
 *
 * @param name the listener's name, as in {@code smtp-NAME} and {@code etc/...listener-NAME.cfg}
 * @param host the address to listen on
 * @param port the TCP port; 0 for any free one
 * @param mode inbound MTA or submission
 * @param implicitTls TLS from the first byte
 * @param starttls whether STARTTLS is offered on a plain connection
 * @param authRequired whether MAIL needs AUTH first (always in submission mode)
 * @param authPlaintextLoopback whether AUTH works without TLS from the loopback address
 * @param senderCheck whether, in submission mode, the sender must be the user's own address
 * @param maxMessageSize the largest message accepted, in bytes
 * @param maxRecipients the most recipients per message
 * @param maxLineLength the longest command line, CRLF included
 * @param commandTimeout how long the rest of a command or message may take
 * @param idleTimeout how long a connection may wait between commands
 * @param maxConnections the most connections at once
 * @param maxConnectionsPerIp the most connections at once from one address
 * @param maxErrors refused commands after which the connection is closed
 * @param maxAuthFailures failed authentications after which the connection is closed
 * @param authFailureDelay the pause before the reply to a failed authentication
 * @param hostname this server's name in replies and trace fields
 * @param spoolDir where large messages are held while they arrive
 * @param spoolThreshold the largest message held in memory, in bytes
 * @param maxJunkCommands commands that move no mail forward (NOOP, RSET, VRFY, HELP, and any
 *     command before the first MAIL) after which the connection is closed; counted anew after
 *     each message accepted
 * @param authLimits the failed-login limits per client address and per account
 */
public record ListenerSettings(String name, String host, int port, Mode mode, boolean implicitTls, boolean starttls,
        boolean authRequired, boolean authPlaintextLoopback, boolean senderCheck, long maxMessageSize,
        int maxRecipients, int maxLineLength, Duration commandTimeout, Duration idleTimeout, int maxConnections,
        int maxConnectionsPerIp, int maxErrors, int maxAuthFailures, Duration authFailureDelay, String hostname,
        Path spoolDir, int spoolThreshold, int maxJunkCommands, AuthLimits authLimits)
        implements ProtocolSettings {

    /** Messages up to this size stay in memory while they arrive. */
    public static final int DEFAULT_SPOOL_THRESHOLD = 256 * 1024;

    /** Checks the values; an invalid one is named in the exception's message. */
    public ListenerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(spoolDir, "spoolDir");
        require(port >= 0 && port <= 65535, "port must be 0 to 65535: " + port);
        require(maxMessageSize > 0, "max.message.size must be positive");
        require(maxRecipients > 0, "max.recipients must be positive");
        require(maxLineLength >= 512, "max.line.length must be at least 512 (RFC 5321 4.5.3.1.4)");
        require(commandTimeout.toMillis() > 0 && idleTimeout.toMillis() > 0, "timeouts must be positive");
        require(maxConnections > 0 && maxConnectionsPerIp > 0, "connection limits must be positive");
        require(maxErrors > 0 && maxAuthFailures > 0, "error limits must be positive");
        require(!authFailureDelay.isNegative(), "auth.failure.delay.millis must not be negative");
        require(maxJunkCommands > 0, "max.junk.commands must be positive");
        Objects.requireNonNull(authLimits, "authLimits");
        authRequired = authRequired || mode == Mode.SUBMISSION;
    }

    /**
     * The settings of a configuration.
     *
     * @param config the configuration as Declarative Services gives it
     * @param pid its PID, such as {@code org.postbus.smtp.listener~mta}, for the default name
     * @param dataDir the framework property {@code postbus.data}, or null
     */
    public static ListenerSettings from(ListenerConfig config, String pid, String dataDir) {
        return new ListenerSettings(name(config.name(), pid), config.host().strip(), config.port(),
                Mode.parse(config.mode()), config.implicit_tls(), config.starttls(), config.auth_required(),
                config.auth_plaintext_loopback(), config.sender_check(), config.max_message_size(),
                config.max_recipients(), config.max_line_length(), Duration.ofSeconds(config.command_timeout_seconds()),
                Duration.ofSeconds(config.idle_timeout_seconds()), config.max_connections(),
                config.max_connections_per_ip(), config.max_errors(), config.max_auth_failures(),
                Duration.ofMillis(config.auth_failure_delay_millis()),
                config.hostname().isBlank() ? ProtocolSettings.localHostName() : config.hostname().strip(),
                spoolDir(dataDir), DEFAULT_SPOOL_THRESHOLD, config.max_junk_commands(),
                new AuthLimits(config.auth_ip_failures(), config.auth_account_failures(),
                        Duration.ofSeconds(config.auth_failure_window_seconds()),
                        Duration.ofSeconds(config.auth_lockout_seconds()),
                        Duration.ofMillis(config.auth_failure_delay_max_millis())));
    }

    /**
     * How failed logins are throttled across connections, beside the directory's own lockout:
     * each failure is answered later than the one before from the same address, and too many
     * within the window refuse AUTH for a while, from that address or for that account.
     *
     * @param ipFailures failures from one address within {@code window} that lock the address
     * @param accountFailures failures for one account within {@code window} that lock it here
     * @param window how long a failure counts
     * @param lockout how long a locked address or account is refused
     * @param maxDelay the longest pause before a failure's reply
     */
    public record AuthLimits(int ipFailures, int accountFailures, Duration window, Duration lockout,
            Duration maxDelay) {

        /** The configuration's defaults. */
        public static final AuthLimits DEFAULTS = new AuthLimits(10, 5, Duration.ofMinutes(15), Duration.ofMinutes(15),
                Duration.ofSeconds(10));

        /** Checks the values. */
        public AuthLimits {
            require(ipFailures > 0 && accountFailures > 0, "auth failure limits must be positive");
            require(window.toMillis() > 0 && lockout.toMillis() > 0, "auth lockout durations must be positive");
            require(!maxDelay.isNegative(), "auth.failure.delay.max.millis must not be negative");
        }
    }

    /** The health check's name: {@code smtp-NAME}. */
    public String healthName() {
        return "smtp-" + name;
    }

    /** The file an administrator edits to change this listener. */
    public String configFile() {
        return "etc/" + SmtpListenerComponent.FACTORY_PID + "-" + name + ".cfg";
    }

    /** The environment variable the shipped configuration takes the port from, if it is a standard listener. */
    public String portVariable() {
        return switch (name) {
            case "mta", "smtp" -> "POSTBUS_SMTP_PORT";
            case "submission" -> "POSTBUS_SUBMISSION_PORT";
            case "smtps", "submissions" -> "POSTBUS_SMTPS_PORT";
            default -> "";
        };
    }

    static String name(String configured, String pid) {
        return ProtocolSettings.name(configured, pid, "smtp");
    }

    static Path spoolDir(String dataDir) {
        if (dataDir != null && !dataDir.isBlank()) {
            return Path.of(dataDir, "spool");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "postbus-spool");
    }
}
