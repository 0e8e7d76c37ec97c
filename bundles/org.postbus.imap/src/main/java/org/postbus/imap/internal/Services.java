package org.postbus.imap.internal;

import java.util.Optional;
import org.postbus.api.directory.Directory;
import org.postbus.api.store.MailStore;
import org.postbus.api.tls.TlsService;

/** The services a listener's sessions use; each may be absent at any moment. */
public interface Services {

    /** The directory, for logins. */
    Optional<Directory> directory();

    /** The mail store. */
    Optional<MailStore> store();

    /** The TLS identity, for STARTTLS and implicit TLS. */
    Optional<TlsService> tls();
}
