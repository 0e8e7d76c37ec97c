/**
 * Message parsing for IMAP, search, webmail and spam filtering: the structure of a message with
 * exact byte offsets ({@link org.postbus.mime.MimeParser}), the IMAP renderings of it
 * ({@link org.postbus.mime.ImapFormat}, {@link org.postbus.mime.Sections}), decoded text matching
 * ({@link org.postbus.mime.MessageText}), sort keys and threading (RFC 5256).
 */
@Export
@Version("1.1.0")
package org.postbus.mime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
