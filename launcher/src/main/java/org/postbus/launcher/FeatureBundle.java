package org.postbus.launcher;

import java.nio.file.Path;

/**
 * A bundle that a feature installs: its Maven coordinates, the jar in {@code system/}, and the
 * start level it starts at (the feature's {@code start-order}).
 */
public record FeatureBundle(String groupId, String artifactId, String version, Path jar, int startOrder) {

    /** {@code groupId:artifactId:version}. */
    public String coordinates() {
        return groupId + ':' + artifactId + ':' + version;
    }
}
