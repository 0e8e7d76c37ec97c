package org.postbus.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesTest {

    @TempDir
    Path dir;

    private void feature(String file, String json) throws IOException {
        Files.writeString(dir.resolve(file), json);
    }

    @Test
    void bundlesAreOrderedByStartOrderAndResolvedInMavenLayout() throws IOException {
        feature("a.json", """
                { "feature-resource-version": "1.0", "id": "g:a:osgifeature:x:1",
                  "bundles": [ { "id": "org.example:late:2.0", "start-order": 4 },
                               { "id": "org.example:early:1.0", "start-order": 1 },
                               { "id": "org.example:plain:3.0" } ] }
                """);
        List<FeatureBundle> bundles = Features.load(dir).bundles(Path.of("/repo"));
        assertEquals(List.of("early", "late", "plain"), bundles.stream().map(FeatureBundle::artifactId).toList());
        assertEquals(Path.of("/repo/org/example/early/1.0/early-1.0.jar"), bundles.get(0).jar());
        assertEquals(Features.DEFAULT_START_ORDER, bundles.get(2).startOrder());
    }

    @Test
    void aLaterFeatureNamingTheSameBundleWins() throws IOException {
        feature("1-base.json", """
                { "feature-resource-version": "1.0", "id": "g:a:osgifeature:base:1",
                  "bundles": [ { "id": "org.example:lib:1.0", "start-order": 2 } ] }
                """);
        feature("2-update.json", """
                { "feature-resource-version": "1.0", "id": "g:a:osgifeature:update:1",
                  "bundles": [ { "id": "org.example:lib:1.1", "start-order": 3 } ] }
                """);
        Features features = Features.load(dir);
        List<FeatureBundle> bundles = features.bundles(Path.of("/repo"));
        assertEquals(1, bundles.size());
        assertEquals("1.1", bundles.get(0).version());
        assertEquals(List.of("g:a:osgifeature:base:1", "g:a:osgifeature:update:1"), features.ids());
    }

    @Test
    void configurationsAreMergedByPid() throws IOException {
        feature("a.json", """
                { "feature-resource-version": "1.0", "id": "g:a:osgifeature:a:1",
                  "configurations": { "my.pid": { "one": "1", "two": "2" }, "my.factory~main": { "port": 25 } } }
                """);
        feature("b.json", """
                { "feature-resource-version": "1.0", "id": "g:a:osgifeature:b:1",
                  "configurations": { "my.pid": { "two": "zwei" } } }
                """);
        Map<String, Map<String, Object>> configs = Features.load(dir).configurations();
        assertEquals(Map.of("one", "1", "two", "zwei"), configs.get("my.pid"));
        assertTrue(configs.containsKey("my.factory~main"));
    }

    @Test
    void aMalformedFeatureIsReportedWithItsFile() throws IOException {
        feature("broken.json", "{ \"id\": ");
        IOException e = assertThrows(IOException.class, () -> Features.load(dir));
        assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
    }

    @Test
    void defaultConfigurationsBecomeFilesAndNeverOverwriteTheUsersEdits() throws IOException {
        Path etc = dir.resolve("etc");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("kept.cfg"), "mine = yes\n");
        List<Path> written = ConfigFiles.writeDefaults(Map.of(
                "kept", Map.of("mine", "no"),
                "plain.pid", Map.of("port", "$[env:PORT;default=25]"),
                "factory.pid~main", Map.of("name", "main"),
                "typed.pid", Map.of("list", List.of("a", "b\"c"))), etc);
        assertEquals(3, written.size());
        assertEquals("mine = yes\n", Files.readString(etc.resolve("kept.cfg")));
        assertTrue(Files.readString(etc.resolve("plain.pid.cfg")).contains("port = $[env:PORT;default=25]"));
        assertTrue(Files.exists(etc.resolve("factory.pid-main.cfg")));
        assertEquals("list=[\"a\",\"b\\\"c\"]\n", Files.readString(etc.resolve("typed.pid.config")));
        assertFalse(Files.list(etc).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    @Test
    void frameworkPropertiesSubstituteTheServerFolders() {
        assertEquals("/srv/postbus/data/cache",
                Launcher.substitute("${postbus.data}/cache", Map.of("postbus.data", "/srv/postbus/data")));
        assertEquals("${unknown}/x", Launcher.substitute("${unknown}/x", Map.of()));
    }
}
