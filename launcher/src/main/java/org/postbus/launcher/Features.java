package org.postbus.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureConfiguration;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;

/**
 * The installed features: OSGi Feature (JSON) files, each a list of bundles with a
 * {@code start-order} and the default configuration they need. The launcher boots them and the
 * integration tests boot the very same files, so what is tested is what ships.
 */
public final class Features {

    /** Bundle metadata key: the start level of a bundle. */
    public static final String START_ORDER = "start-order";

    /** Start level of a bundle whose feature gives none. */
    public static final int DEFAULT_START_ORDER = 4;

    private final List<Feature> features;

    private Features(List<Feature> features) {
        this.features = List.copyOf(features);
    }

    /**
     * Reads every {@code *.json} feature in {@code dir}, in file-name order.
     *
     * @throws IOException naming the file that cannot be read or parsed
     */
    public static Features load(Path dir) throws IOException {
        FeatureService service = ServiceLoader.load(FeatureService.class, Features.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi Feature Service implementation on the class path"));
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
            stream.forEach(files::add);
        }
        files.sort(Comparator.comparing(Path::toString));
        List<Feature> features = new ArrayList<>();
        for (Path file : files) {
            try (Reader reader = Files.newBufferedReader(file)) {
                features.add(service.readFeature(reader));
            } catch (IOException | RuntimeException e) {
                throw new IOException("feature " + file + " is not a valid OSGi feature: " + e.getMessage(), e);
            }
        }
        return new Features(features);
    }

    /** The feature identifiers, in load order. */
    public List<String> ids() {
        return features.stream().map(f -> f.getID().toString()).toList();
    }

    /**
     * The bundles of all features, each once (a later feature naming the same bundle wins),
     * ordered by start order, then by feature order.
     *
     * @param repository the Maven-layout folder holding the jars ({@code system/} or a local
     *     Maven repository)
     */
    public List<FeatureBundle> bundles(Path repository) {
        Map<String, FeatureBundle> byName = new LinkedHashMap<>();
        for (Feature feature : features) {
            for (org.osgi.service.feature.FeatureBundle bundle : feature.getBundles()) {
                ID id = bundle.getID();
                Object order = bundle.getMetadata().get(START_ORDER);
                int startOrder = order == null ? DEFAULT_START_ORDER : Integer.parseInt(order.toString());
                Path jar = repository.resolve(id.getGroupId().replace('.', '/'))
                        .resolve(id.getArtifactId())
                        .resolve(id.getVersion())
                        .resolve(id.getArtifactId() + '-' + id.getVersion()
                                + id.getClassifier().map(c -> '-' + c).orElse("") + ".jar");
                byName.put(id.getGroupId() + ':' + id.getArtifactId(),
                        new FeatureBundle(id.getGroupId(), id.getArtifactId(), id.getVersion(), jar, startOrder));
            }
        }
        List<FeatureBundle> result = new ArrayList<>(byName.values());
        result.sort(Comparator.comparingInt(FeatureBundle::startOrder));
        return result;
    }

    /**
     * The default configurations of all features, by PID ({@code factoryPid~name} for factory
     * configurations), a later feature's values replacing an earlier one's.
     */
    public Map<String, Map<String, Object>> configurations() {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        for (Feature feature : features) {
            for (FeatureConfiguration configuration : feature.getConfigurations().values()) {
                result.computeIfAbsent(configuration.getPid(), pid -> new LinkedHashMap<>())
                        .putAll(configuration.getValues());
            }
        }
        return result;
    }
}
