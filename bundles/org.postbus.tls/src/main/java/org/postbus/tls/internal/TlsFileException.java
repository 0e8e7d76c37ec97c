package org.postbus.tls.internal;

import java.nio.file.Path;

/**
 * A configured certificate or key file that cannot be used; an expected problem, so its message
 * is written for administrators and names the file: {@code TLS key /etc/key.pem is missing}.
 */
final class TlsFileException extends Exception {

    private static final long serialVersionUID = 1L;

    TlsFileException(String kind, Path file, String problem) {
        super("TLS " + kind + " " + file + " " + problem);
    }

    TlsFileException(String kind, Path file, String problem, Throwable cause) {
        super("TLS " + kind + " " + file + " " + problem, cause);
    }

    TlsFileException(String message) {
        super(message);
    }
}
