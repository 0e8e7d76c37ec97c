package org.postbus.queue.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the outbound queue, PID {@code org.postbus.queue}. Keys follow the Declarative
 * Services mapping of member names: {@code storage_dir} is {@code storage.dir}.
 */
@ObjectClassDefinition(name = "Postbus outbound queue",
        description = "Durable queue of messages for remote recipients: delivery by MX, retries, bounces.")
@interface QueueConfig {

    @AttributeDefinition(name = "Storage folder",
            description = "Folder of the queue. Empty: 'queue' under the framework property postbus.data, "
                    + "or ./data/queue without it.")
    String storage_dir() default "";

    @AttributeDefinition(name = "Host name", description = "Name given in EHLO and in bounces. Empty: this host's name.")
    String hostname() default "";

    @AttributeDefinition(name = "Lifetime (hours)",
            description = "How long a message is retried before it is bounced. Fractions allowed.")
    double max_lifetime_hours() default 120;

    @AttributeDefinition(name = "Retry schedule (minutes)",
            description = "Delays between attempts, comma separated; the last one repeats. Fractions allowed.")
    String retry_schedule_minutes() default "1,5,15,30,60,120,240";

    @AttributeDefinition(name = "Connect timeout (seconds)", min = "1")
    int connect_timeout_seconds() default 30;

    @AttributeDefinition(name = "Command timeout (seconds)", description = "Wait for each SMTP reply.", min = "1")
    int command_timeout_seconds() default 300;

    @AttributeDefinition(name = "Delivery threads", min = "1")
    int concurrency() default 8;

    @AttributeDefinition(name = "DNS server",
            description = "host:port of the DNS server to ask. Empty: the system's resolvers.")
    String dns_server() default "";

    @AttributeDefinition(name = "SMTP port", description = "Port of the receiving servers (25 on the Internet).")
    int port() default 25;

    @AttributeDefinition(name = "Domains requiring TLS",
            description = "Comma separated: mail for these domains is sent only after STARTTLS. "
                    + "Elsewhere STARTTLS is used when offered.")
    String tls_required_domains() default "";

    @AttributeDefinition(name = "Extra trust store",
            description = "PKCS12 file of certificates trusted besides the JDK's when a certificate must verify "
                    + "(REQUIRETLS, MTA-STS, the smarthost). Empty: the JDK's only.")
    String tls_truststore() default "";

    @AttributeDefinition(name = "Extra trust store password", type = AttributeType.PASSWORD)
    String tls_truststore_password() default "";

    @AttributeDefinition(name = "Delay notice (hours)",
            description = "After this long in the queue, a sender who asked NOTIFY=DELAY is told once that "
                    + "delivery is delayed. Fractions allowed; 0 turns delay notices off.")
    double delay_notice_hours() default 4;

    @AttributeDefinition(name = "Delay notice without NOTIFY",
            description = "Also send the delay notice for recipients whose sender gave no NOTIFY parameter.")
    boolean delay_notice_unasked() default false;

    @AttributeDefinition(name = "Largest message returned in a bounce (bytes)",
            description = "A bounce returns the whole message unless the sender asked RET=HDRS or it is larger "
                    + "than this; then only its header section.")
    long dsn_return_max_bytes() default 1_048_576;

    @AttributeDefinition(name = "Idle connection lifetime (seconds)",
            description = "How long a connection to a receiving server is kept open for further messages.")
    int connection_idle_seconds() default 5;

    @AttributeDefinition(name = "Smarthost",
            description = "Host name or address of a relay that takes all remote mail. Empty: delivery by MX.")
    String relay_host() default "";

    @AttributeDefinition(name = "Smarthost port")
    int relay_port() default 587;

    @AttributeDefinition(name = "Smarthost TLS", options = {
        @Option(value = "starttls", label = "STARTTLS (required)"),
        @Option(value = "implicit", label = "Implicit TLS (port 465 style)"),
        @Option(value = "none", label = "None (plain text)")})
    String relay_tls() default "starttls";

    @AttributeDefinition(name = "Verify the smarthost certificate",
            description = "Check its chain against the trusted certificates and its name against the host name.")
    boolean relay_tls_verify() default true;

    @AttributeDefinition(name = "Smarthost user name", description = "Empty: no AUTH.")
    String relay_username() default "";

    @AttributeDefinition(name = "Smarthost password", type = AttributeType.PASSWORD)
    String relay_password() default "";

    @AttributeDefinition(name = "Smarthost password file",
            description = "A file holding the password (first line), instead of the password itself.")
    String relay_password_file() default "";

    @AttributeDefinition(name = "MTA-STS", description = "Honour the MTA-STS policies (RFC 8461) that domains publish.")
    boolean mta_sts_enabled() default true;

    @AttributeDefinition(name = "MTA-STS HTTPS port", description = "Port of the policy servers (443 on the Internet).")
    int mta_sts_https_port() default 443;

    @AttributeDefinition(name = "MTA-STS HTTP proxy",
            description = "host:port of an HTTP proxy for fetching policies. Empty: direct.")
    String mta_sts_proxy() default "";

    @AttributeDefinition(name = "MTA-STS cached domains",
            description = "At most this many domains' policies are kept (in mta-sts-cache.txt in the storage "
                    + "folder, read again at start); beyond it the soonest-expiring ones are dropped.", min = "1")
    int mta_sts_cache_max_entries() default MtaStsCache.DEFAULT_MAX_ENTRIES;
}
