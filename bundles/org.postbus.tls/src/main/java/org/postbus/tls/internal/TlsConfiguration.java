package org.postbus.tls.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of PID {@code org.postbus.tls}.
 *
 * <p>As everywhere in Postbus, an underscore in a method name is a dot in the property key:
 * {@code certificate.file}, {@code key.file}, {@code reload.interval.seconds}, {@code storage.dir}.
 */
@ObjectClassDefinition(
        name = "Postbus TLS",
        description = "The server's TLS certificate: a self-signed one made on first start, or the"
                + " configured PEM files, reloaded when they change.")
public @interface TlsConfiguration {

    @AttributeDefinition(
            name = "Certificate file",
            description = "PEM certificate chain, leaf first (such as Let's Encrypt's fullchain.pem)."
                    + " Empty: use a self-signed certificate.",
            required = false)
    String certificate_file() default "";

    @AttributeDefinition(
            name = "Key file",
            description = "PEM private key of the leaf certificate (PKCS#8, PKCS#1 RSA or SEC1 EC,"
                    + " unencrypted). Empty: the key is read from the certificate file.",
            required = false)
    String key_file() default "";

    @AttributeDefinition(
            name = "Host name",
            description = "Name of the self-signed certificate. Empty: the machine's host name.",
            required = false)
    String hostname() default "";

    @AttributeDefinition(
            name = "Protocols",
            description = "TLS protocols to enable; nothing below TLSv1.2 is accepted.")
    String[] protocols() default {"TLSv1.3", "TLSv1.2"};

    @AttributeDefinition(
            name = "Reload interval (seconds)",
            description = "How often the configured files are checked for changes; 0 turns the"
                    + " check off.",
            min = "0")
    int reload_interval_seconds() default 5;

    @AttributeDefinition(
            name = "Storage folder",
            description = "Where the self-signed certificate and key are kept. Empty: the tls"
                    + " folder in the data folder (framework property postbus.data).",
            required = false)
    String storage_dir() default "";
}
