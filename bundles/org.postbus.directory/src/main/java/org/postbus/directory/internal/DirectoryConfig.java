package org.postbus.directory.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the directory, PID {@code org.postbus.directory}. Property keys follow the
 * Declarative Services mapping of member names: {@code storage_dir} is the key
 * {@code storage.dir}, and so on.
 */
@ObjectClassDefinition(name = "Postbus directory",
        description = "Domains, accounts, aliases and authentication, kept in one JSON file.")
@interface DirectoryConfig {

    @AttributeDefinition(name = "Storage folder",
            description = "Folder of directory.json. Empty: the 'directory' folder under the framework property "
                    + "postbus.data, or ./data/directory without it.")
    String storage_dir() default "";

    @AttributeDefinition(name = "Default domain",
            description = "Domain of bare user names, and the domain added on first start when there is none. "
                    + "Empty: the first domain added; on first start, this machine's host name.")
    String default_domain() default "";

    @AttributeDefinition(name = "Login cache (seconds)",
            description = "How long a successful login is remembered, sparing the slow password check. 0: off.",
            min = "0")
    int auth_cache_seconds() default 60;

    @AttributeDefinition(name = "Lockout after failures",
            description = "Failed logins within the lockout period after which a user is refused. 0: never.",
            min = "0")
    int lockout_failures() default 10;

    @AttributeDefinition(name = "Lockout period (minutes)",
            description = "How long a failed login counts towards the lockout.", min = "1")
    int lockout_minutes() default 15;

    @AttributeDefinition(name = "Argon2 memory (KiB)",
            description = "Memory cost of new password hashes. Existing hashes keep their own.", min = "8")
    int argon2_memory_kib() default 19456;

    @AttributeDefinition(name = "Argon2 iterations", description = "Time cost of new password hashes.", min = "1")
    int argon2_iterations() default 2;

    @AttributeDefinition(name = "Argon2 parallelism", description = "Lanes of new password hashes.", min = "1")
    int argon2_parallelism() default 1;

    @AttributeDefinition(name = "SCRAM-SHA-256 iterations",
            description = "PBKDF2 iterations of new SCRAM-SHA-256 credentials (RFC 7677: at least 4096).",
            min = "4096")
    int scram_iterations() default 4096;
}
