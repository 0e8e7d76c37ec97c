package org.postbus.example.filter.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.postbus.api.delivery.DeliveryFilter;
import org.postbus.api.delivery.MailTransaction;
import org.postbus.api.delivery.Verdict;
import org.postbus.api.health.Health;
import org.postbus.api.health.HealthCheck;

/**
 * Adds a header to every message that passes the delivery pipeline, and reports through
 * {@code /health} how many it stamped. A plugin needs no more than this: a DS component
 * providing API services, configured from {@code etc/org.postbus.example.filter.cfg}.
 */
@Component(
        configurationPid = "org.postbus.example.filter",
        service = {DeliveryFilter.class, HealthCheck.class},
        property = {
            DeliveryFilter.NAME + "=example-stamp",
            HealthCheck.NAME + "=example-filter",
            "service.ranking:Integer=-100"
        })
@Designate(ocd = StampFilter.Config.class)
public class StampFilter implements DeliveryFilter, HealthCheck {

    /** The filter's settings. */
    @ObjectClassDefinition(name = "Example stamp filter", description = "Adds a header to every delivered message.")
    public @interface Config {
        @AttributeDefinition(name = "Header name")
        String header_name() default "X-Postbus-Example";

        @AttributeDefinition(name = "Header value")
        String header_value() default "stamped";
    }

    private final AtomicLong stamped = new AtomicLong();
    private String name;
    private String value;

    @Activate
    void activate(Config config) {
        name = config.header_name();
        value = config.header_value();
    }

    @Override
    public Verdict filter(MailTransaction transaction) {
        stamped.incrementAndGet();
        return Verdict.addHeader(name, value);
    }

    @Override
    public Health check() {
        return Health.up("adds " + name + ": " + value + "; " + stamped.get() + " messages stamped");
    }
}
