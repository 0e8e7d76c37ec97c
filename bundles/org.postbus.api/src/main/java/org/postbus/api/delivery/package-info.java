/**
 * The delivery pipeline: filters that see every received message and decide what happens to it.
 */
@Export
@Version("1.0.0")
package org.postbus.api.delivery;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
