/**
 * Event Admin topics and property keys that Postbus parts post, for the search index, IMAP IDLE, metrics and plugins.
 */
@Export
@Version("1.0.0")
package org.postbus.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
