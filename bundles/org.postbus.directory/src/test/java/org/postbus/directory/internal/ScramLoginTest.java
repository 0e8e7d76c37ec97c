package org.postbus.directory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.directory.internal.Fixtures.addr;
import static org.postbus.directory.internal.Fixtures.pw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ongres.scram.client.ScramClient;
import com.ongres.scram.common.exception.ScramException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.directory.SaslStep;
import org.postbus.directory.internal.scram.FakeCredentials;

/** SCRAM-SHA-256 logins against the directory, with an independent client (com.ongres.scram). */
class ScramLoginTest {

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private FileDirectory directory;

    @BeforeEach
    void open() throws Exception {
        directory = FileDirectory.open(dir, Fixtures.SETTINGS.withLockout(3, Duration.ofMinutes(15)), clock,
                ChangeListener.NONE);
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("p\u00E4ssword"));
    }

    /** Runs a whole exchange as the client would; returns the outcome. */
    private AuthResult login(String username, String password) throws ScramException {
        ScramClient client = ScramClient.builder().advertisedMechanisms(List.of("SCRAM-SHA-256"))
                .username(username).password(password.toCharArray()).build();
        SaslExchange exchange = directory.startSasl("SCRAM-SHA-256");
        SaslStep first = exchange.evaluate(bytes(client.clientFirstMessage().toString()));
        client.serverFirstMessage(text(first));
        SaslStep last = exchange.evaluate(bytes(client.clientFinalMessage().toString()));
        if (last.done()) {
            return last.result().orElseThrow();
        }
        // The client checks the server's signature: it proves the server knew the credential.
        client.serverFinalMessage(text(last));
        SaslStep outcome = exchange.evaluate(new byte[0]);
        assertTrue(outcome.done());
        return outcome.result().orElseThrow();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(SaslStep step) {
        assertFalse(step.done(), "expected a challenge, got " + step.result());
        return new String(step.challenge().orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void offersScramSha256Only() {
        assertEquals(Set.of("SCRAM-SHA-256"), directory.saslMechanisms());
        assertEquals("SCRAM-SHA-256", directory.startSasl("scram-sha-256").mechanism());
        assertThrows(IllegalArgumentException.class, () -> directory.startSasl("SCRAM-SHA-1"));
        assertThrows(IllegalArgumentException.class, () -> directory.startSasl("PLAIN"));
    }

    @Test
    void rightPasswordLogsIn() throws Exception {
        AuthResult result = login("bob@example.org", "p\u00E4ssword");
        assertTrue(result.succeeded());
        assertEquals("bob@example.org", result.account().orElseThrow().username());
        assertTrue(login("bob", "p\u00E4ssword").succeeded(), "bare name in the default domain");
        // SASLprep: the decomposed form of the same password is the same password.
        assertTrue(login("bob@example.org", "pa\u0308ssword").succeeded());
    }

    @Test
    void wrongPasswordAndUnknownUserFailAlike() throws Exception {
        assertSame(AuthResult.INVALID, login("bob@example.org", "password"));
        assertSame(AuthResult.INVALID, login("nobody@example.org", "p\u00E4ssword"));
        assertSame(AuthResult.INVALID, login("bob@remote.test", "p\u00E4ssword"));
    }

    @Test
    void unknownUserIsChallengedLikeAKnownOneAndAlwaysWithTheSameSalt() throws Exception {
        String known = saltOf("bob@example.org");
        String unknown = saltOf("nobody@example.org");
        assertEquals(unknown, saltOf("nobody@example.org"));
        assertEquals(known.length(), unknown.length());
        assertEquals(known.substring(known.indexOf(",i=")), unknown.substring(unknown.indexOf(",i=")));
        // The same after a restart: the key behind fake salts is kept on disk.
        directory.close();
        directory = FileDirectory.open(dir, Fixtures.SETTINGS, clock, ChangeListener.NONE);
        assertEquals(unknown, saltOf("nobody@example.org"));
        assertTrue(Files.isRegularFile(dir.resolve(FakeCredentials.FILE_NAME)));
    }

    private String saltOf(String user) {
        SaslExchange exchange = directory.startSasl("SCRAM-SHA-256");
        String serverFirst = text(exchange.evaluate(bytes("n,,n=" + user + ",r=nonce")));
        return serverFirst.substring(serverFirst.indexOf(",s="));
    }

    @Test
    void failuresCountTowardsTheDirectoryLockout() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertSame(AuthResult.INVALID, login("bob@example.org", "guess" + i));
        }
        assertSame(AuthResult.LOCKED, login("bob@example.org", "p\u00E4ssword"));
        assertSame(AuthResult.LOCKED, directory.authenticate("bob@example.org", pw("p\u00E4ssword")),
                "one lockout for both ways of logging in");
        clock.advance(Duration.ofMinutes(16));
        assertTrue(login("bob@example.org", "p\u00E4ssword").succeeded());
        for (int i = 0; i < 3; i++) {
            assertSame(AuthResult.INVALID, login("nobody@example.org", "guess" + i));
        }
        assertSame(AuthResult.LOCKED, login("nobody@example.org", "guess"), "unknown names lock alike");
    }

    @Test
    void disabledAccountIsRefusedAfterTheProof() throws Exception {
        directory.setEnabled(addr("bob@example.org"), false);
        assertSame(AuthResult.DISABLED, login("bob@example.org", "p\u00E4ssword"));
        assertSame(AuthResult.INVALID, login("bob@example.org", "wrong"));
    }

    @Test
    void newPasswordReplacesTheCredential() throws Exception {
        directory.setPassword(addr("bob@example.org"), pw("new one"));
        assertSame(AuthResult.INVALID, login("bob@example.org", "p\u00E4ssword"));
        assertTrue(login("bob@example.org", "new one").succeeded());
    }

    @Test
    void credentialIsStoredBesideTheHashAndSurvivesARestart() throws Exception {
        String json = Files.readString(dir.resolve(DirectoryFile.FILE_NAME));
        assertTrue(json.contains("\"scramSha256\" : \"SCRAM-SHA-256$4096:"), json);
        assertFalse(json.contains("p\u00E4ssword"));
        directory.close();
        directory = FileDirectory.open(dir, Fixtures.SETTINGS, clock, ChangeListener.NONE);
        assertTrue(login("bob@example.org", "p\u00E4ssword").succeeded());
    }

    @Test
    void accountFromBeforeScramGetsItsCredentialAtItsNextPasswordLogin() throws Exception {
        directory.close();
        Path file = dir.resolve(DirectoryFile.FILE_NAME);
        String json = Files.readString(file).replaceAll("\\s*\"scramSha256\" : \"[^\"]*\",", "");
        assertFalse(json.contains("scramSha256"));
        Files.writeString(file, json);
        directory = FileDirectory.open(dir, Fixtures.SETTINGS.withLockout(3, Duration.ofMinutes(15)), clock,
                ChangeListener.NONE);

        for (int i = 0; i < 4; i++) {
            assertSame(AuthResult.INVALID, login("bob@example.org", "p\u00E4ssword"),
                    "no SCRAM credential yet; not counted as a guess");
        }
        assertTrue(directory.authenticate("bob@example.org", pw("p\u00E4ssword")).succeeded());
        assertTrue(Files.readString(file).contains("scramSha256"));
        assertTrue(login("bob@example.org", "p\u00E4ssword").succeeded());
    }

    @Test
    void passwordThatSaslPrepRefusesStillWorksWithPlain() throws Exception {
        directory.addAccount(addr("carol@example.org"), pw("bell\u0007"));
        assertTrue(directory.authenticate("carol@example.org", pw("bell\u0007")).succeeded());
        JsonNode accounts = new ObjectMapper().readTree(dir.resolve(DirectoryFile.FILE_NAME).toFile()).get("accounts");
        for (JsonNode account : accounts) {
            assertEquals(account.get("address").asText().equals("bob@example.org"), account.has("scramSha256"),
                    account.toString());
        }
        assertSame(AuthResult.INVALID, login("carol@example.org", "bell"));
    }

    @Test
    void iterationCountIsConfigurable() throws Exception {
        directory.close();
        directory = FileDirectory.open(dir, Fixtures.SETTINGS.withScramIterations(8192), clock, ChangeListener.NONE);
        directory.setPassword(addr("bob@example.org"), pw("pencil"));
        assertTrue(saltOf("bob@example.org").endsWith(",i=8192"));
        assertTrue(login("bob@example.org", "pencil").succeeded());
        assertThrows(IllegalArgumentException.class, () -> Fixtures.SETTINGS.withScramIterations(1000));
    }
}
