/**
 * Health checks: each listener and store reports whether it is up, and {@code GET /health} gathers them.
 */
@Export
@Version("1.0.0")
package org.postbus.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
