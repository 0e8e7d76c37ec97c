package org.postbus.imap.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one IMAP listener, factory PID {@code org.postbus.imap.listener}: a file
 * {@code etc/org.postbus.imap.listener-NAME.cfg} makes the listener {@code NAME}. An underscore
 * in a method name is a dot in the key ({@code implicit.tls}, {@code max.literal.size}, ...).
 */
@ObjectClassDefinition(name = "Postbus IMAP listener",
        description = "One IMAP port: STARTTLS (143 style) or implicit TLS (993 style).")
public @interface ListenerConfig {

    @AttributeDefinition(name = "Name", description = "Names the listener in logs and its health check"
            + " (imap-NAME). Empty: the part of the configuration's name after the dash or tilde.", required = false)
    String name() default "";

    @AttributeDefinition(name = "Host", description = "Address to listen on; 0.0.0.0 for every interface.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port; 0 picks a free one.", min = "0", max = "65535")
    int port() default 1143;

    @AttributeDefinition(name = "Implicit TLS", description = "Speak TLS from the first byte (port 993 style).")
    boolean implicit_tls() default false;

    @AttributeDefinition(name = "STARTTLS", description = "Offer STARTTLS on a plain connection.")
    boolean starttls() default true;

    @AttributeDefinition(name = "Plaintext login from loopback",
            description = "Allow LOGIN and AUTHENTICATE without TLS for clients on the loopback address;"
                    + " otherwise LOGINDISABLED until TLS.")
    boolean auth_plaintext_loopback() default true;

    @AttributeDefinition(name = "Maximum line length",
            description = "In bytes; also the largest literal outside APPEND.", min = "1000")
    int max_line_length() default 65536;

    @AttributeDefinition(name = "Maximum literal size",
            description = "The largest message APPEND accepts, in bytes (APPENDLIMIT, RFC 7889).", min = "1")
    long max_literal_size() default 52428800L;

    @AttributeDefinition(name = "LITERAL- instead of LITERAL+",
            description = "Limit non-synchronising literals to 4096 bytes (RFC 7888 LITERAL-).")
    boolean literal_minus() default false;

    @AttributeDefinition(name = "Login timeout (seconds)",
            description = "How long a client may take to log in.", min = "1")
    int login_timeout_seconds() default 120;

    @AttributeDefinition(name = "Command timeout (seconds)",
            description = "How long the rest of a started command may take to arrive.", min = "1")
    int command_timeout_seconds() default 300;

    @AttributeDefinition(name = "Idle timeout (seconds)",
            description = "Inactivity before an authenticated client is logged out, IDLE included"
                    + " (RFC 9051: at least 30 minutes).", min = "1800")
    int idle_timeout_seconds() default 1860;

    @AttributeDefinition(name = "Maximum connections", description = "Open at once on this listener.", min = "1")
    int max_connections() default 20000;

    @AttributeDefinition(name = "Maximum connections per IP", description = "Open at once from one address.", min = "1")
    int max_connections_per_ip() default 1000;

    @AttributeDefinition(name = "Maximum connections per user",
            description = "Logged-in sessions at once for one user, on all IMAP listeners.", min = "1")
    int max_connections_per_user() default 100;

    @AttributeDefinition(name = "Maximum errors", description = "BAD replies in a row after which the connection is closed.",
            min = "1")
    int max_errors() default 50;

    @AttributeDefinition(name = "Login failure delay (milliseconds)",
            description = "How long a failed login waits before its reply.", min = "0")
    int auth_failure_delay_millis() default 2000;

    @AttributeDefinition(name = "Maximum login failures per connection",
            description = "Failed logins after which the connection is closed.", min = "1")
    int max_auth_failures() default 3;

    @AttributeDefinition(name = "Login failures per IP before lockout",
            description = "Failed logins from one address within the lockout time after which it is refused.",
            min = "1")
    int ip_lockout_failures() default 20;

    @AttributeDefinition(name = "IP lockout (seconds)", description = "How long such an address is refused.",
            min = "1")
    int ip_lockout_seconds() default 900;
}
