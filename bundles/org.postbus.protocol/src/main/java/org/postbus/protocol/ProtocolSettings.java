package org.postbus.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What every protocol listener's checked configuration tells the shared plumbing. Each protocol's
 * settings record implements it beside its own keys.
 */
public interface ProtocolSettings {

    /** The listener's name, as in {@code smtp-NAME} and {@code etc/...listener-NAME.cfg}. */
    String name();

    /** The address to listen on. */
    String host();

    /** The TCP port; 0 for any free one. */
    int port();

    /** TLS from the first byte. */
    boolean implicitTls();

    /** The most connections at once. */
    int maxConnections();

    /** The most connections at once from one address. */
    int maxConnectionsPerIp();

    /** The health check's name, such as {@code smtp-mta}. */
    String healthName();

    /** The file an administrator edits to change this listener. */
    String configFile();

    /** The environment variable the shipped configuration takes the port from, or an empty string. */
    String portVariable();

    /**
     * A listener's name: the configured one, else what follows {@code ~} in a factory
     * configuration's PID, else {@code fallback}.
     */
    static String name(String configured, String pid, String fallback) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        if (pid != null) {
            int tilde = pid.lastIndexOf('~');
            if (tilde >= 0 && tilde < pid.length() - 1) {
                return pid.substring(tilde + 1);
            }
        }
        return fallback;
    }

    /** This machine's name, for greetings when none is configured. */
    static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Refuses an invalid value, naming it in the exception's message. */
    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
