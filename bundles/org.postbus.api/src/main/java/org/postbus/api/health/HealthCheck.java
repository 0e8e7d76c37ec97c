package org.postbus.api.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reports whether one part of the server works. Every listener and store registers one, with the
 * {@link #NAME} service property; {@code GET /health} answers 200 when every check is up and
 * every required name is present, 503 otherwise.
 */
@ConsumerType
public interface HealthCheck {

    /** Service property: the part's name, such as {@code smtp}, {@code store} or {@code tls}. */
    String NAME = "postbus.health.name";

    /** The current state; must be quick (no network, no disk scan). */
    Health check();
}
