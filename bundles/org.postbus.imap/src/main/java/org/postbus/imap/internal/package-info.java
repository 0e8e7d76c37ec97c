/** The IMAP server's implementation: listeners, sessions, commands. Exports nothing. */
package org.postbus.imap.internal;
