/**
 * The durable outbound queue of messages for remote recipients.
 */
@Export
@Version("1.0.0")
package org.postbus.api.queue;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
