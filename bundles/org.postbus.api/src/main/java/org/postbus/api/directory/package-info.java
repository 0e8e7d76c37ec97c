/**
 * The directory: local domains, accounts, aliases and authentication.
 */
@Export
@Version("1.0.0")
package org.postbus.api.directory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
