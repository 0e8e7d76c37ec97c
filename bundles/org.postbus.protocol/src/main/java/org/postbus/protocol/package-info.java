/**
 * Support shared by Postbus's protocol listeners (SMTP, IMAP, POP3). Not a plugin API: only
 * Postbus's own protocol bundles use it.
 */
@Export
@Version("1.0.0")
package org.postbus.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
