package org.postbus.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ongres.scram.client.ScramClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.DirectoryException;
import org.postbus.api.directory.Recipients;
import org.postbus.api.directory.SaslExchange;
import org.postbus.api.directory.SaslStep;
import org.postbus.api.mail.MailAddress;

/** The fake keeps the directory contract the protocol tests rely on. */
class FakeDirectoryTest {

    private final FakeDirectory directory = FakeDirectory.exampleOrg();

    private static MailAddress a(String address) {
        return MailAddress.parse(address);
    }

    @Test
    void authenticationOutcomesFollowTheContract() {
        assertTrue(directory.authenticate("alice", "secret".toCharArray()).succeeded());
        assertTrue(directory.authenticate("ALICE@Example.org", "secret".toCharArray()).succeeded());
        assertEquals(AuthResult.INVALID, directory.authenticate("alice", "wrong".toCharArray()));
        assertEquals(AuthResult.INVALID, directory.authenticate("nobody", "secret".toCharArray()));
        assertEquals(AuthResult.INVALID, directory.authenticate("", "secret".toCharArray()));
        assertEquals(AuthResult.DISABLED, directory.authenticate("carol", "secret".toCharArray()));
        assertEquals(AuthResult.INVALID, directory.authenticate("carol", "wrong".toCharArray()),
                "a disabled account says so only to the right password");
        assertEquals(AuthResult.LOCKED, directory.authenticate("dave", "anything".toCharArray()));
        assertEquals(List.of("alice", "ALICE@Example.org", "alice", "nobody", "", "carol", "carol", "dave"),
                directory.authenticated);
    }

    @Test
    void resolvesAccountsAliasesCatchAllsAndRemoteAddresses() throws DirectoryException {
        FakeDirectory d = new FakeDirectory("example.org", "example.net")
                .account("bob@example.org").account("dave@example.net")
                .alias("team@example.org", "bob@example.org", "friend@remote.example")
                .alias("loop@example.org", "loop2@example.org").alias("loop2@example.org", "loop@example.org", "Bob@example.org")
                .alias("@example.net", "dave@example.net");
        assertEquals(new Recipients(Set.of(a("bob@example.org")), Set.of()), d.resolve(a("BOB@example.org")));
        assertEquals(new Recipients(Set.of(a("bob@example.org")), Set.of(a("friend@remote.example"))),
                d.resolve(a("Team@Example.org")));
        assertEquals(new Recipients(Set.of(a("bob@example.org")), Set.of()), d.resolve(a("loop@example.org")));
        assertEquals(new Recipients(Set.of(a("dave@example.net")), Set.of()), d.resolve(a("anyone@example.net")));
        assertEquals(Recipients.NONE, d.resolve(a("nobody@example.org")));
        assertEquals(new Recipients(Set.of(), Set.of(a("x@remote.example"))), d.resolve(a("x@remote.example")));
        d.setEnabled(a("bob@example.org"), false);
        assertEquals(Recipients.NONE, d.resolve(a("bob@example.org")), "a disabled account receives nothing");
        d.failure = new IllegalStateException("broken");
        assertThrows(IllegalStateException.class, () -> d.resolve(a("bob@example.org")));
    }

    @Test
    void changesAreCheckedLikeTheRealDirectory() throws DirectoryException {
        assertThrows(DirectoryException.class, () -> directory.addAccount(a("x@elsewhere.test"), "pw".toCharArray()));
        assertThrows(DirectoryException.class, () -> directory.addAccount(a("alice@example.org"), "pw".toCharArray()));
        assertThrows(DirectoryException.class, () -> directory.addAccount(a("new@example.org"), new char[0]));
        assertThrows(DirectoryException.class, () -> directory.putAlias("alice@example.org", List.of(a("b@x.test"))));
        assertThrows(DirectoryException.class, () -> directory.removeDomain("example.org"));
        assertThrows(DirectoryException.class, () -> directory.addDomain("not a domain"));
        assertEquals(1234, directory.setQuota(a("bob@example.org"), 1234).quotaBytes());
        directory.setPassword(a("bob@example.org"), "new".toCharArray());
        assertTrue(directory.authenticate("bob", "new".toCharArray()).succeeded());
        assertTrue(directory.removeAccount(a("bob@example.org")));
        assertTrue(directory.account(a("bob@example.org")).isEmpty());
        assertEquals(List.of("example.org"), directory.domains().stream().map(d -> d.name()).toList());
    }

    @Test
    void lookupsRecordTheirThreadButSaslMechanismsOnlyCount() {
        directory.saslMechanisms();
        assertTrue(directory.threads.isEmpty());
        assertEquals(1, directory.saslAsked.get());
        directory.isLocalDomain("EXAMPLE.ORG");
        assertEquals(List.of(Thread.currentThread().getName()), directory.threads);
    }

    private static AuthResult scram(FakeDirectory directory, String user, String password) throws Exception {
        ScramClient client = ScramClient.builder().advertisedMechanisms(List.of("SCRAM-SHA-256")).username(user)
                .password(password.toCharArray()).build();
        SaslExchange exchange = directory.startSasl("scram-sha-256");
        SaslStep first = exchange.evaluate(bytes(client.clientFirstMessage().toString()));
        client.serverFirstMessage(text(first.challenge().orElseThrow()));
        SaslStep last = exchange.evaluate(bytes(client.clientFinalMessage().toString()));
        if (last.done()) {
            return last.result().orElseThrow();
        }
        // Throws unless the server proved that it knows the password.
        client.serverFinalMessage(text(last.challenge().orElseThrow()));
        SaslStep end = exchange.evaluate(new byte[0]);
        assertThrows(IllegalStateException.class, () -> exchange.evaluate(new byte[0]));
        return end.result().orElseThrow();
    }

    @Test
    void scramRunsAgainstARealClient() throws Exception {
        assertTrue(scram(directory, "alice", "secret").succeeded());
        assertEquals(AuthResult.INVALID, scram(directory, "alice", "wrong"));
        assertEquals(AuthResult.INVALID, scram(directory, "nobody", "secret"));
        assertEquals(AuthResult.DISABLED, scram(directory, "carol", "secret"));
        assertEquals(AuthResult.LOCKED, scram(directory, "dave", "secret"));
        assertEquals(AuthResult.INVALID,
                directory.startSasl("SCRAM-SHA-256").evaluate(bytes("garbage")).result().orElseThrow());
        directory.scram = false;
        assertEquals(Set.of(), directory.saslMechanisms());
        assertThrows(IllegalArgumentException.class, () -> directory.startSasl("SCRAM-SHA-256"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
