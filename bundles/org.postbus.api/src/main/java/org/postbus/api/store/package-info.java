/**
 * The mail store: mailboxes, messages, UIDs, flags and MODSEQ, as IMAP, POP3, delivery and the webmail see them.
 */
@Export
@Version("1.0.0")
package org.postbus.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
