/**
 * The server's TLS keys and certificates, offered to the protocol bundles.
 */
@Export
@Version("1.0.0")
package org.postbus.api.tls;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
