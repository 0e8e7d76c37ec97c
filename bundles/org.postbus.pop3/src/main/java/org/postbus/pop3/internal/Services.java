package org.postbus.pop3.internal;

import java.util.Optional;
import org.postbus.api.directory.Directory;
import org.postbus.api.store.MailStore;
import org.postbus.api.tls.TlsService;

/**
 * The services a session uses, as they are right now: each may come and go while the server
 * runs, so a session asks at every use and copes with an empty answer.
 */
public interface Services {

    /** The directory, for logins. */
    Optional<Directory> directory();

    /** The mail store holding the INBOXes. */
    Optional<MailStore> store();

    /** The TLS identity for STLS and implicit TLS. */
    Optional<TlsService> tls();
}
