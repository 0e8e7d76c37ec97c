package org.postbus.directory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.directory.internal.Fixtures.addr;
import static org.postbus.directory.internal.Fixtures.pw;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Alias;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.Recipients;
import org.postbus.directory.internal.scram.FakeCredentials;

/** Persistence: the JSON file, its atomic replacement and its refusal when malformed. */
class DirectoryFileTest {

    @TempDir
    Path dir;

    @Test
    void missingFileIsAnEmptyDirectoryAndFolderIsCreated() throws Exception {
        Path nested = dir.resolve("data/directory");
        FileDirectory directory = Fixtures.open(nested);
        assertTrue(Files.isDirectory(nested));
        assertTrue(directory.domains().isEmpty());
        assertFalse(Files.exists(nested.resolve(DirectoryFile.FILE_NAME)), "nothing written before a change");
    }

    @Test
    void newInstanceOnSameFolderSeesEverything() throws Exception {
        FileDirectory first = Fixtures.open(dir);
        first.addDomain("example.org");
        first.addDomain("example.net");
        Account bob = first.addAccount(addr("Bob@example.org"), pw("hunter2"));
        first.addAccount(addr("carol@example.org"), pw("carol-pw"));
        first.setEnabled(addr("carol@example.org"), false);
        first.putAlias("postmaster@example.org", List.of(addr("bob@example.org"), addr("ext@remote.test")));
        first.putAlias("@example.net", List.of(addr("bob@example.org")));

        FileDirectory second = Fixtures.open(dir);
        assertEquals(first.domains(), second.domains());
        assertEquals(first.accounts(), second.accounts());
        assertEquals(first.aliases(), second.aliases());
        assertEquals(bob, second.account(addr("bob@example.org")).orElseThrow());
        assertEquals("Bob", second.account(addr("bob@example.org")).orElseThrow().address().localPart(),
                "local part kept as given");
        assertFalse(second.account(addr("carol@example.org")).orElseThrow().enabled());
        assertTrue(second.authenticate("bob@example.org", pw("hunter2")).succeeded(), "password hash survives");
        assertEquals(new Recipients(java.util.Set.of(addr("bob@example.org")), java.util.Set.of()),
                second.resolve(addr("anyone@example.net")));
        // insertion order is kept: the first domain stays the default for bare names
        assertEquals("example.org", second.defaultDomain().orElseThrow());
    }

    @Test
    void fileIsReadableJsonWithPhcHashesAndNoPasswords() throws Exception {
        FileDirectory directory = Fixtures.open(dir);
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("very-secret-password"));
        String json = Files.readString(dir.resolve("directory.json"));
        assertTrue(json.contains("\"format\" : 1"), json);
        assertTrue(json.contains("\"address\" : \"bob@example.org\""), json);
        assertTrue(json.contains("\"passwordHash\" : \"$argon2id$v=19$m=64,t=1,p=1$"), json);
        assertFalse(json.contains("very-secret-password"));
    }

    @Test
    void writesLeaveNoTemporaryFilesAndFileIsPrivate() throws Exception {
        FileDirectory directory = Fixtures.open(dir);
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("pw"));
        directory.putAlias("a@example.org", List.of(addr("bob@example.org")));
        directory.removeAlias("a@example.org");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("directory.json")), files.filter(ScramKeyFilter::notKey).toList());
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("directory.json"))));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve(FakeCredentials.FILE_NAME))));
        }
    }

    @Test
    void temporaryFilesOfAnInterruptedSaveAreRemovedOnOpen() throws Exception {
        Files.writeString(dir.resolve("directory.json.12345.tmp"), "{\"half");
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        Fixtures.open(dir);
        assertFalse(Files.exists(dir.resolve("directory.json.12345.tmp")));
        assertTrue(Files.exists(dir.resolve("notes.txt")));
    }

    @Test
    void failedSaveKeepsOldStateAndLeavesNoTemporaryFile() throws Exception {
        FileDirectory directory = Fixtures.open(dir);
        // A non-empty folder where the file should go makes the final rename fail, even for root.
        Files.createDirectories(dir.resolve("directory.json/blocker"));
        var e = assertThrows(org.postbus.api.directory.DirectoryException.class, () -> directory.addDomain("example.net"));
        assertTrue(e.getMessage().contains("directory.json"), e.getMessage());
        assertFalse(directory.isLocalDomain("example.net"), "state not changed when the save failed");
        assertTrue(directory.domains().isEmpty());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("directory.json")), files.filter(ScramKeyFilter::notKey).toList(),
                    "temporary file removed");
        }
    }

    @Test
    void malformedJsonIsRefusedAndLeftUntouched() throws Exception {
        String broken = "{\n  \"format\" : 1,\n  \"domains\" : [ { \"name\" : \"example.org\", }\n";
        Path file = dir.resolve("directory.json");
        Files.writeString(file, broken);
        DirectoryFileException e = assertThrows(DirectoryFileException.class, () -> Fixtures.open(dir));
        String message = e.getMessage();
        assertTrue(message.startsWith(file + " is malformed"), message);
        assertTrue(message.contains("line 3, column"), message);
        assertFalse(message.contains("\n"), "one log line: " + message);
        assertEquals(broken, Files.readString(file, StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no backup, no temporary file, nothing else written");
        }
    }

    @Test
    void semanticErrorsAreRefusedWithTheirPlace() throws IOException {
        String hash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0MTZi$NFmPgZsJdjIDZFIjMlMmbZY6/R4qFYzzeN8ksV0ufHo";
        assertRefused("{\"format\":1,\"domains\":[{\"name\":\"bad_name.org\",\"created\":\"2026-01-01T00:00:00Z\"}]}",
                "domains[0]");
        assertRefused("{\"format\":1,\"domains\":[],\"accounts\":[{\"address\":\"a@example.org\",\"passwordHash\":\""
                + hash + "\",\"created\":\"2026-01-01T00:00:00Z\"}]}", "not listed under domains");
        assertRefused("{\"format\":1,\"domains\":[{\"name\":\"example.org\",\"created\":\"2026-01-01T00:00:00Z\"}],"
                + "\"accounts\":[{\"address\":\"a@example.org\",\"passwordHash\":\"plain\",\"created\":\"2026-01-01T00:00:00Z\"}]}",
                "accounts[0].passwordHash");
        assertRefused("{\"format\":1,\"domains\":[{\"name\":\"example.org\"}]}", "domains[0].created is missing");
        assertRefused("{\"format\":1,\"domains\":[{\"name\":\"example.org\",\"created\":\"2026-01-01T00:00:00Z\"},"
                + "{\"name\":\"EXAMPLE.org\",\"created\":\"2026-01-01T00:00:00Z\"}]}", "listed twice");
        assertRefused("{\"format\":2}", "unsupported format 2");
        assertRefused("{\"domains\":[]}", "format");
        assertRefused("{\"format\":1,\"surprise\":true}", "surprise");
        assertRefused("{\"format\":1,\"format\":1}", "format");
        assertRefused("", "No content");
        assertRefused("null", "null");
        assertRefused("{\"format\":1} {}", "line 1");
        assertRefused("{ \"format\": 1,\n  \"domains\": [ }\n", "expected ']' (for Array starting at line 2, column 14) "
                + "at domains (line 2, column 16)");
    }

    @Test
    void wrongKindsOfValuesAreRefusedWithTheirPlace() throws IOException {
        String domain = "{\"name\":\"example.org\",\"created\":\"2026-01-01T00:00:00Z\"}";
        String hash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0MTZi$NFmPgZsJdjIDZFIjMlMmbZY6/R4qFYzzeN8ksV0ufHo";
        String account = "{\"address\":\"a@example.org\",\"passwordHash\":\"" + hash
                + "\",\"created\":\"2026-01-01T00:00:00Z\"";
        assertRefused("{\"format\":\"1\"}", "\"format\" must be a whole number at format");
        assertRefused("{\"format\":1.5}", "\"format\" must be a whole number");
        assertRefused("[]", "expected the directory");
        assertRefused("{\"format\":1,\"domains\":{}}", "expected a list (START_ARRAY), found START_OBJECT at domains");
        assertRefused("{\"format\":1,\"domains\":[" + domain + ",{\"name\":7}]}",
                "expected a string, found VALUE_NUMBER_INT at domains[1].name");
        assertRefused("{\"format\":1,\"domains\":[" + domain + "],\"accounts\":[" + account
                + ",\"quotaBytes\":\"lots\"}]}", "expected a whole number, found VALUE_STRING at accounts[0].quotaBytes");
        assertRefused("{\"format\":1,\"domains\":[" + domain + "],\"accounts\":[" + account
                + ",\"enabled\":\"yes\"}]}", "expected true or false, found VALUE_STRING at accounts[0].enabled");
        assertRefused("{\"format\":1,\"domains\":[" + domain + "],\"accounts\":[" + account
                + ",\"nickname\":\"al\"}]}", "Unrecognized field \"nickname\"");
        assertRefused("{\"format\":1,\"domains\":[" + domain + "],\"aliases\":[{\"source\":\"x@example.org\","
                + "\"targets\":[\"a@example.org\",3]}]}", "at aliases[0].targets[1]");
        assertRefused("{\"format\":1,\"domains\":[null]}", "domains[0] is missing");
        assertRefused("{\"format\":1,\"domains\":[" + domain + "],\"accounts\":[" + account
                + ",\"quotaBytes\":-5}]}", "accounts[0].quotaBytes of a@example.org is negative");
    }

    @Test
    void everyFieldSurvivesASaveAndReload() throws Exception {
        FileDirectory directory = Fixtures.open(dir);
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("pw"));
        directory.setQuota(addr("bob@example.org"), 12_345L);
        directory.setEnabled(addr("bob@example.org"), false);
        directory.putAlias("team@example.org", List.of(addr("bob@example.org"), addr("carol@example.net")));
        String first = Files.readString(dir.resolve("directory.json"));

        FileDirectory reopened = Fixtures.open(dir);
        Account bob = reopened.account(addr("bob@example.org")).orElseThrow();
        assertEquals(12_345L, bob.quotaBytes());
        assertFalse(bob.enabled());
        assertEquals(directory.account(addr("bob@example.org")).orElseThrow().created(), bob.created());
        assertEquals(directory.aliases(), reopened.aliases());
        // Saving what was read writes the same file again.
        reopened.addDomain("example.net");
        reopened.removeDomain("example.net");
        assertEquals(first, Files.readString(dir.resolve("directory.json")));
    }

    private void assertRefused(String json, String expected) throws IOException {
        Path file = dir.resolve("directory.json");
        Files.writeString(file, json);
        DirectoryFileException e = assertThrows(DirectoryFileException.class, () -> Fixtures.open(dir), json);
        assertTrue(e.getMessage().contains(expected), "'" + expected + "' not in: " + e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(json, Files.readString(file), "never rewritten");
    }

    @Test
    void handWrittenFileWithDefaultsIsAccepted() throws Exception {
        String hash = "$argon2id$v=19$m=64,t=2,p=2$c2FsdHNhbHRzYWx0MTZi$NFmPgZsJdjIDZFIjMlMmbZY6/R4qFYzzeN8ksV0ufHo";
        Files.writeString(dir.resolve("directory.json"), """
                {
                  "format": 1,
                  "domains": [ { "name": "Example.ORG", "created": "2026-01-01T00:00:00Z" } ],
                  "accounts": [ { "address": "alice@example.org", "passwordHash": "%s",
                                  "created": "2026-01-02T00:00:00Z" } ],
                  "aliases": [ { "source": "@example.org", "targets": [ "alice@example.org" ] } ]
                }
                """.formatted(hash));
        FileDirectory directory = Fixtures.open(dir);
        Account alice = directory.account(addr("alice@example.org")).orElseThrow();
        assertEquals(Account.UNLIMITED, alice.quotaBytes());
        assertTrue(alice.enabled());
        assertEquals(List.of(new Alias("@example.org", List.of(addr("alice@example.org")))), directory.aliases());
        assertEquals(AuthResult.Status.SUCCESS, directory.authenticate("alice", pw("correct horse")).status());
    }

    /** The folder also holds the key behind SCRAM's fake salts, which these tests do not concern. */
    private static final class ScramKeyFilter {
        static boolean notKey(Path path) {
            return !path.getFileName().toString().equals(FakeCredentials.FILE_NAME);
        }
    }
}
