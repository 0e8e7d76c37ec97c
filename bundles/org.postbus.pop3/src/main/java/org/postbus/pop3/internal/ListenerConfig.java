package org.postbus.pop3.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one POP3 listener, factory PID {@code org.postbus.pop3.listener}: a file
 * {@code etc/org.postbus.pop3.listener-NAME.cfg} makes the listener {@code NAME}.
 *
 * <p>An underscore in a method name is a dot in the property key: {@code implicit.tls},
 * {@code max.line.length} and so on.
 */
@ObjectClassDefinition(
        name = "Postbus POP3 listener",
        description = "One POP3 port (RFC 1939), plain with STLS or implicit TLS, serving each user's INBOX.")
public @interface ListenerConfig {

    @AttributeDefinition(name = "Name",
            description = "Names the listener in logs and its health check (pop3-NAME). Empty: the part"
                    + " of the configuration's name after the dash or tilde.", required = false)
    String name() default "";

    @AttributeDefinition(name = "Host", description = "Address to listen on; 0.0.0.0 for every interface.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port; 0 picks a free one.", min = "0", max = "65535")
    int port() default 1110;

    @AttributeDefinition(name = "Implicit TLS", description = "Speak TLS from the first byte (POP3S, port 995 style).")
    boolean implicit_tls() default false;

    @AttributeDefinition(name = "STLS", description = "Offer STLS (RFC 2595) on a plain connection.")
    boolean starttls() default true;

    @AttributeDefinition(name = "Plaintext login from loopback",
            description = "Allow USER/PASS and AUTH without TLS for clients on the loopback address;"
                    + " elsewhere they need TLS and are not advertised before it.")
    boolean auth_plaintext_loopback() default true;

    @AttributeDefinition(name = "Maximum command line length",
            description = "In bytes, CRLF included (RFC 2449: at least 255).", min = "255")
    int max_line_length() default 1024;

    @AttributeDefinition(name = "Command timeout (seconds)",
            description = "How long the rest of a started command line may take to arrive, and how long a"
                    + " client may take to read a message before it is disconnected.", min = "1")
    int command_timeout_seconds() default 300;

    @AttributeDefinition(name = "Idle timeout (seconds)",
            description = "How long a connection may wait between commands (RFC 1939: at least 10 minutes).",
            min = "600")
    int idle_timeout_seconds() default 600;

    @AttributeDefinition(name = "Maximum connections", description = "Open at once on this listener.", min = "1")
    int max_connections() default 500;

    @AttributeDefinition(name = "Maximum connections per IP", description = "Open at once from one address.", min = "1")
    int max_connections_per_ip() default 20;

    @AttributeDefinition(name = "Maximum sessions per user",
            description = "Logged-in sessions of one user at once on this listener; beyond it a login gets"
                    + " -ERR [IN-USE].", min = "1")
    int max_connections_per_user() default 3;

    @AttributeDefinition(name = "Maximum errors",
            description = "Refused commands after which the connection is closed.", min = "1")
    int max_errors() default 20;

    @AttributeDefinition(name = "Maximum login failures per connection",
            description = "Failed logins after which the connection is closed.", min = "1")
    int max_auth_failures() default 3;

    @AttributeDefinition(name = "Login failure delay (milliseconds)",
            description = "How long a failed login waits before its reply.", min = "0")
    int auth_failure_delay_millis() default 1000;

    @AttributeDefinition(name = "Lockout failures per IP",
            description = "Failed logins from one address after which it may not log in for the lockout time.",
            min = "1")
    int lockout_failures() default 10;

    @AttributeDefinition(name = "Lockout time (seconds)",
            description = "How long an address stays locked out, and the window its failures are counted in.",
            min = "1")
    int lockout_seconds() default 900;

    @AttributeDefinition(name = "Host name",
            description = "Name in the greeting. Empty: the machine's host name.", required = false)
    String hostname() default "";
}
