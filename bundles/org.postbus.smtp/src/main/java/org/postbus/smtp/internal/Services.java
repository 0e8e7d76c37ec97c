package org.postbus.smtp.internal;

import java.util.Optional;
import org.postbus.api.delivery.DeliveryService;
import org.postbus.api.directory.Directory;
import org.postbus.api.tls.TlsService;

/**
 * The services a session uses, as they are right now: each may come and go while the server
 * runs, so a session asks at every use and copes with an empty answer.
 */
public interface Services {

    /** The directory: local domains, recipients, authentication. */
    Optional<Directory> directory();

    /** The delivery pipeline that takes received messages. */
    Optional<DeliveryService> delivery();

    /** The TLS identity for STARTTLS and implicit TLS. */
    Optional<TlsService> tls();
}
