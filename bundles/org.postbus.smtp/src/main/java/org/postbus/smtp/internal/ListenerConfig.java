package org.postbus.smtp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of one SMTP listener, factory PID {@code org.postbus.smtp.listener}: a file
 * {@code etc/org.postbus.smtp.listener-NAME.cfg} makes the listener {@code NAME}.
 *
 * <p>As everywhere in Postbus, an underscore in a method name is a dot in the property key:
 * {@code implicit.tls}, {@code auth.required}, {@code max.message.size} and so on.
 */
@ObjectClassDefinition(
        name = "Postbus SMTP listener",
        description = "One SMTP port: inbound mail (MTA), submission by users, or either over implicit TLS.")
public @interface ListenerConfig {

    @AttributeDefinition(name = "Name",
            description = "Names the listener in logs and its health check (smtp-NAME). Empty: the part"
                    + " of the configuration's name after the dash or tilde.", required = false)
    String name() default "";

    @AttributeDefinition(name = "Host", description = "Address to listen on; 0.0.0.0 for every interface.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port; 0 picks a free one.", min = "0", max = "65535")
    int port() default 2525;

    @AttributeDefinition(name = "Mode",
            description = "MTA receives mail for local recipients (and relays for authenticated clients);"
                    + " SUBMISSION needs authentication and checks the sender.",
            options = {@Option(label = "MTA (inbound)", value = "MTA"),
                       @Option(label = "Submission", value = "SUBMISSION")})
    String mode() default "MTA";

    @AttributeDefinition(name = "Implicit TLS", description = "Speak TLS from the first byte (port 465 style).")
    boolean implicit_tls() default false;

    @AttributeDefinition(name = "STARTTLS", description = "Offer STARTTLS on a plain connection.")
    boolean starttls() default true;

    @AttributeDefinition(name = "Authentication required",
            description = "Refuse MAIL before AUTH. Always on in SUBMISSION mode.")
    boolean auth_required() default false;

    @AttributeDefinition(name = "Plaintext AUTH from loopback",
            description = "Allow AUTH without TLS for clients on the loopback address.")
    boolean auth_plaintext_loopback() default true;

    @AttributeDefinition(name = "Sender check",
            description = "In SUBMISSION mode, the envelope sender must be the authenticated account's address.")
    boolean sender_check() default true;

    @AttributeDefinition(name = "Maximum message size", description = "In bytes (SIZE, RFC 1870).", min = "1")
    long max_message_size() default 52428800L;

    @AttributeDefinition(name = "Maximum recipients", description = "Per message.", min = "1")
    int max_recipients() default 100;

    @AttributeDefinition(name = "Maximum command line length",
            description = "In bytes, CRLF included (RFC 5321: at least 512).", min = "512")
    int max_line_length() default 1000;

    @AttributeDefinition(name = "Command timeout (seconds)",
            description = "How long the rest of a command or of a message may take to arrive.", min = "1")
    int command_timeout_seconds() default 300;

    @AttributeDefinition(name = "Idle timeout (seconds)",
            description = "How long a connection may wait between commands.", min = "1")
    int idle_timeout_seconds() default 300;

    @AttributeDefinition(name = "Maximum connections", description = "Open at once on this listener.", min = "1")
    int max_connections() default 500;

    @AttributeDefinition(name = "Maximum connections per IP", description = "Open at once from one address.", min = "1")
    int max_connections_per_ip() default 50;

    @AttributeDefinition(name = "Maximum errors",
            description = "Refused commands after which the connection is closed.", min = "1")
    int max_errors() default 20;

    @AttributeDefinition(name = "Maximum AUTH failures",
            description = "Failed authentications after which the connection is closed.", min = "1")
    int max_auth_failures() default 3;

    @AttributeDefinition(name = "AUTH failure delay (milliseconds)",
            description = "How long a failed authentication waits before its reply.", min = "0")
    int auth_failure_delay_millis() default 1000;

    @AttributeDefinition(name = "Longest AUTH failure delay (milliseconds)",
            description = "The delay doubles with each recent failure from the same address, up to this.", min = "0")
    int auth_failure_delay_max_millis() default 10000;

    @AttributeDefinition(name = "AUTH failures per address",
            description = "Failed authentications from one address within the failure window after which AUTH"
                    + " from that address is refused (454 4.7.0) for the lockout time.", min = "1")
    int auth_ip_failures() default 10;

    @AttributeDefinition(name = "AUTH failures per account",
            description = "Failed authentications for one account within the failure window after which AUTH"
                    + " for that account is refused (454 4.7.0) for the lockout time, whatever the directory says.",
            min = "1")
    int auth_account_failures() default 5;

    @AttributeDefinition(name = "AUTH failure window (seconds)", description = "How long a failure counts.",
            min = "1")
    int auth_failure_window_seconds() default 900;

    @AttributeDefinition(name = "AUTH lockout (seconds)",
            description = "How long a locked address or account is refused.", min = "1")
    int auth_lockout_seconds() default 900;

    @AttributeDefinition(name = "Maximum junk commands",
            description = "NOOP, RSET, VRFY, HELP and commands before the first MAIL after which the connection is"
                    + " closed (421 4.7.0); counted anew after each accepted message.", min = "1")
    int max_junk_commands() default 100;

    @AttributeDefinition(name = "Host name",
            description = "Name in the greeting, EHLO reply and Received: field. Empty: the machine's host name.",
            required = false)
    String hostname() default "";
}
