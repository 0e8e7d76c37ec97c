package org.postbus.delivery.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the delivery pipeline, PID {@code org.postbus.delivery}. Property keys follow
 * the Declarative Services mapping of member names: {@code over_quota_permanent} is the key
 * {@code over.quota.permanent}.
 */
@ObjectClassDefinition(name = "Postbus delivery pipeline",
        description = "Filters in ranking order, then local delivery to the mail store and remote delivery "
                + "through the outbound queue.")
@interface DeliveryConfig {

    @AttributeDefinition(name = "Refuse mail for full mailboxes permanently",
            description = "Off: a message that no local recipient has room for is deferred with 452 4.2.2, and the "
                    + "sending server tries again (RFC 3463: a full mailbox is a persistent transient failure). "
                    + "On: it is refused with 552 5.2.2 and the sender is told at once.")
    boolean over_quota_permanent() default false;
}
