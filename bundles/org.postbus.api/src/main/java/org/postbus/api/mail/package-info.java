/**
 * Mail addresses and other values shared by every part of Postbus.
 */
@Export
@Version("1.0.0")
package org.postbus.api.mail;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
