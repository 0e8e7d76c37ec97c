package org.postbus.launcher;

import java.nio.file.Path;

/**
 * The folders of an installed server, all below one home folder ({@code distribution/target/postbus}
 * after a build): {@code etc/} configuration, {@code data/} mail and state, {@code logs/},
 * {@code deploy/} hot-deployed bundles, {@code system/} the bundles of the features, laid out as
 * a Maven repository, and {@code features/} the feature definitions.
 */
public record Home(Path root) {

    /** System property naming the home folder; {@code bin/postbus} sets it. */
    public static final String PROPERTY = "postbus.home";

    /** The home named by {@value #PROPERTY}, or the working directory. */
    public static Home current() {
        String home = System.getProperty(PROPERTY);
        return new Home(Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize());
    }

    public Path etc() {
        return root.resolve("etc");
    }

    public Path data() {
        return root.resolve("data");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path deploy() {
        return root.resolve("deploy");
    }

    public Path system() {
        return root.resolve("system");
    }

    public Path features() {
        return root.resolve("features");
    }

    /** The file holding the generated admin password (mode 600). */
    public Path adminSecret() {
        return data().resolve("admin.secret");
    }

    /** The process id of a server started with {@code bin/postbus start}. */
    public Path pidFile() {
        return data().resolve("postbus.pid");
    }
}
