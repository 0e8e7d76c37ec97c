package org.postbus.queue.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

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
}
