package org.postbus.directory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.directory.internal.Fixtures.addr;
import static org.postbus.directory.internal.Fixtures.pw;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Alias;
import org.postbus.api.directory.DirectoryException;
import org.postbus.api.directory.Domain;
import org.postbus.api.directory.Recipients;
import org.postbus.api.mail.MailAddress;

/** Domains, accounts, aliases and resolution through the {@code Directory} API. */
class FileDirectoryTest {

    @TempDir
    Path dir;

    private final Fixtures.Events events = new Fixtures.Events();
    private FileDirectory directory;

    @BeforeEach
    void open() throws Exception {
        directory = FileDirectory.open(dir, Fixtures.SETTINGS, Clock.systemUTC(), events);
    }

    // ---------------------------------------------------------------- domains

    @Test
    void domainsAreValidatedLowerCasedAndSorted() throws Exception {
        Domain added = directory.addDomain("Example.ORG");
        assertEquals("example.org", added.name());
        directory.addDomain("b.example");
        assertEquals(List.of("b.example", "example.org"), directory.domains().stream().map(Domain::name).toList());
        assertTrue(directory.isLocalDomain("EXAMPLE.org"));
        assertFalse(directory.isLocalDomain("other.org"));
        assertFalse(directory.isLocalDomain(null));
        DirectoryException e = assertThrows(DirectoryException.class, () -> directory.addDomain("bad_name.org"));
        assertTrue(e.getMessage().contains("bad_name.org"), e.getMessage());
        assertThrows(DirectoryException.class, () -> directory.addDomain(""));
        assertThrows(DirectoryException.class, () -> directory.addDomain(null));
        DirectoryException duplicate = assertThrows(DirectoryException.class, () -> directory.addDomain("EXAMPLE.org"));
        assertTrue(duplicate.getMessage().contains("already exists"), duplicate.getMessage());
    }

    @Test
    void removeDomainRefusedWhileInUse() throws Exception {
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("pw"));
        directory.putAlias("@example.org", List.of(addr("bob@example.org")));

        DirectoryException e = assertThrows(DirectoryException.class, () -> directory.removeDomain("example.org"));
        assertTrue(e.getMessage().contains("bob@example.org") && e.getMessage().contains("@example.org"), e.getMessage());
        assertTrue(directory.isLocalDomain("example.org"));

        directory.removeAccount(addr("bob@example.org"));
        assertThrows(DirectoryException.class, () -> directory.removeDomain("example.org"), "catch-all still there");
        directory.removeAlias("@example.org");
        assertTrue(directory.removeDomain("Example.org"));
        assertFalse(directory.isLocalDomain("example.org"));
        assertFalse(directory.removeDomain("example.org"), "gone already");
        assertFalse(directory.removeDomain("not a domain"));
    }

    // --------------------------------------------------------------- accounts

    @Test
    void addAccountRequiresLocalDomainFreeAddressAndPassword() throws Exception {
        assertThrows(DirectoryException.class, () -> directory.addAccount(addr("bob@example.org"), pw("pw")),
                "unknown domain");
        directory.addDomain("example.org");
        Account bob = directory.addAccount(addr("bob@example.org"), pw("pw"));
        assertTrue(bob.enabled());
        assertEquals(Account.UNLIMITED, bob.quotaBytes());
        assertEquals("bob@example.org", bob.username());

        assertThrows(DirectoryException.class, () -> directory.addAccount(addr("BOB@example.org"), pw("pw")),
                "same address in another case");
        directory.putAlias("info@example.org", List.of(addr("bob@example.org")));
        DirectoryException alias = assertThrows(DirectoryException.class,
                () -> directory.addAccount(addr("Info@example.org"), pw("pw")));
        assertTrue(alias.getMessage().contains("alias"), alias.getMessage());
        assertThrows(DirectoryException.class, () -> directory.addAccount(addr("carol@example.org"), pw("")));
        assertThrows(DirectoryException.class, () -> directory.addAccount(addr("carol@example.org"), null));
        assertThrows(DirectoryException.class,
                () -> directory.addAccount(new MailAddress("car ol", "example.org"), pw("pw")));
        assertEquals(List.of(bob), directory.accounts());
    }

    @Test
    void accountLookupIgnoresCaseOfLocalPart() throws Exception {
        directory.addDomain("example.org");
        directory.addAccount(addr("Bob@example.org"), pw("pw"));
        assertEquals("Bob", directory.account(addr("bOB@EXAMPLE.org")).orElseThrow().address().localPart());
        assertTrue(directory.account(addr("carol@example.org")).isEmpty());
    }

    @Test
    void accountsAreSortedByDomainThenLocalPart() throws Exception {
        directory.addDomain("b.example");
        directory.addDomain("a.example");
        for (String address : List.of("zed@a.example", "Amy@b.example", "bob@a.example", "amy@a.example")) {
            directory.addAccount(addr(address), pw("pw"));
        }
        assertEquals(List.of("amy@a.example", "bob@a.example", "zed@a.example", "Amy@b.example"),
                directory.accounts().stream().map(Account::username).toList());
    }

    @Test
    void removeAndSetPassword() throws Exception {
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("old"));
        directory.setPassword(addr("BOB@example.org"), pw("new"));
        assertFalse(directory.authenticate("bob@example.org", pw("old")).succeeded());
        assertTrue(directory.authenticate("bob@example.org", pw("new")).succeeded());
        assertThrows(DirectoryException.class, () -> directory.setPassword(addr("bob@example.org"), pw("")));
        assertThrows(DirectoryException.class, () -> directory.setPassword(addr("nobody@example.org"), pw("x")));

        assertTrue(directory.removeAccount(addr("bob@example.org")));
        assertFalse(directory.removeAccount(addr("bob@example.org")));
        assertTrue(directory.accounts().isEmpty());
        // the address is free again
        directory.addAccount(addr("bob@example.org"), pw("again"));
    }

    // ---------------------------------------------------------------- aliases

    @Test
    void aliasRules() throws Exception {
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("pw"));
        assertThrows(DirectoryException.class, () -> directory.putAlias("x@other.org", List.of(addr("bob@example.org"))),
                "domain must be local");
        assertThrows(DirectoryException.class, () -> directory.putAlias("@other.org", List.of(addr("bob@example.org"))));
        DirectoryException account = assertThrows(DirectoryException.class,
                () -> directory.putAlias("Bob@example.org", List.of(addr("x@remote.test"))));
        assertTrue(account.getMessage().contains("account"), account.getMessage());
        assertThrows(DirectoryException.class, () -> directory.putAlias("x@example.org", List.of()));
        assertThrows(DirectoryException.class, () -> directory.putAlias("x@example.org", null));
        assertThrows(DirectoryException.class, () -> directory.putAlias("not-an-address", List.of(addr("bob@example.org"))));
        assertThrows(DirectoryException.class, () -> directory.putAlias("@bad_domain", List.of(addr("bob@example.org"))));

        Alias alias = directory.putAlias("Sales@EXAMPLE.org",
                List.of(addr("bob@example.org"), addr("bob@example.org"), addr("x@remote.test")));
        assertEquals("Sales@example.org", alias.source());
        assertEquals(List.of(addr("bob@example.org"), addr("x@remote.test")), alias.targets(), "duplicates dropped");
        Alias replaced = directory.putAlias("sales@example.org", List.of(addr("y@remote.test")));
        assertEquals(List.of(replaced), directory.aliases(), "same source in another case replaces");
        assertTrue(directory.removeAlias("SALES@example.org"));
        assertFalse(directory.removeAlias("sales@example.org"));
        assertFalse(directory.removeAlias("garbage"));
    }

    @Test
    void aliasesAreSortedBySource() throws Exception {
        directory.addDomain("example.org");
        directory.putAlias("zz@example.org", List.of(addr("a@remote.test")));
        directory.putAlias("@example.org", List.of(addr("a@remote.test")));
        directory.putAlias("aa@example.org", List.of(addr("a@remote.test")));
        assertEquals(List.of("@example.org", "aa@example.org", "zz@example.org"),
                directory.aliases().stream().map(Alias::source).toList());
    }

    // -------------------------------------------------------------- resolving

    @Test
    void resolveAccountAliasCatchAllAndNone() throws Exception {
        directory.addDomain("example.org");
        directory.addDomain("example.net");
        directory.addAccount(addr("Bob@example.org"), pw("pw"));
        directory.addAccount(addr("carol@example.org"), pw("pw"));
        directory.putAlias("team@example.org", List.of(addr("bob@example.org"), addr("CAROL@example.org"),
                addr("partner@remote.test")));
        directory.putAlias("@example.net", List.of(addr("carol@example.org")));

        Recipients bob = directory.resolve(addr("BOB@example.org"));
        assertEquals(local("bob@example.org"), bob);
        assertEquals("Bob", bob.local().iterator().next().localPart(), "the account's own spelling");
        assertEquals(new Recipients(Set.of(addr("bob@example.org"), addr("carol@example.org")),
                Set.of(addr("partner@remote.test"))), directory.resolve(addr("Team@example.org")));
        assertEquals(local("carol@example.org"), directory.resolve(addr("anything@example.net")), "catch-all");
        assertSame(Recipients.NONE, directory.resolve(addr("nobody@example.org")), "no catch-all in example.org");
        assertEquals(new Recipients(Set.of(), Set.of(addr("someone@remote.test"))),
                directory.resolve(addr("someone@remote.test")), "non-local domain is remote");
    }

    @Test
    void exactAliasAndAccountWinOverCatchAll() throws Exception {
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("pw"));
        directory.addAccount(addr("carol@example.org"), pw("pw"));
        directory.putAlias("@example.org", List.of(addr("carol@example.org")));
        directory.putAlias("sales@example.org", List.of(addr("bob@example.org")));
        assertEquals(local("bob@example.org"), directory.resolve(addr("bob@example.org")));
        assertEquals(local("bob@example.org"), directory.resolve(addr("sales@example.org")));
        assertEquals(local("carol@example.org"), directory.resolve(addr("other@example.org")));
    }

    @Test
    void aliasesExpandRecursivelyAndLoopsAreCut() throws Exception {
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("pw"));
        directory.addAccount(addr("carol@example.org"), pw("pw"));
        directory.putAlias("a@example.org", List.of(addr("b@example.org"), addr("bob@example.org")));
        directory.putAlias("b@example.org", List.of(addr("c@example.org"), addr("out@remote.test")));
        directory.putAlias("c@example.org", List.of(addr("a@example.org"), addr("carol@example.org")));

        Recipients expected = new Recipients(Set.of(addr("bob@example.org"), addr("carol@example.org")),
                Set.of(addr("out@remote.test")));
        assertEquals(expected, directory.resolve(addr("a@example.org")));
        assertEquals(expected, directory.resolve(addr("c@example.org")));

        directory.putAlias("self@example.org", List.of(addr("self@example.org")));
        assertSame(Recipients.NONE, directory.resolve(addr("self@example.org")));
    }

    @Test
    void unknownLocalTargetFallsToCatchAllOnce() throws Exception {
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("pw"));
        directory.putAlias("list@example.org", List.of(addr("gone@example.org"), addr("also-gone@example.org")));
        assertSame(Recipients.NONE, directory.resolve(addr("list@example.org")), "dangling targets reach no one");
        directory.putAlias("@example.org", List.of(addr("bob@example.org"), addr("nobody@example.org")));
        assertEquals(local("bob@example.org"), directory.resolve(addr("list@example.org")));
        assertEquals(local("bob@example.org"), directory.resolve(addr("unknown@example.org")),
                "catch-all pointing into its own domain does not loop");
    }

    @Test
    void expansionStopsAtMaximumDepth() throws Exception {
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("pw"));
        int chain = FileDirectory.MAX_ALIAS_DEPTH + 2;
        for (int i = 0; i < chain; i++) {
            directory.putAlias("l" + i + "@example.org", List.of(addr("l" + (i + 1) + "@example.org")));
        }
        directory.putAlias("l" + chain + "@example.org", List.of(addr("bob@example.org")));
        assertSame(Recipients.NONE, directory.resolve(addr("l0@example.org")), "too deep");
        assertEquals(local("bob@example.org"), directory.resolve(addr("l3@example.org")), "within the limit");
    }

    @Test
    void disabledAccountReceivesNothing() throws Exception {
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("pw"));
        directory.addAccount(addr("carol@example.org"), pw("pw"));
        directory.putAlias("@example.org", List.of(addr("carol@example.org")));
        directory.putAlias("both@example.org", List.of(addr("bob@example.org"), addr("carol@example.org")));
        directory.setEnabled(addr("bob@example.org"), false);
        assertSame(Recipients.NONE, directory.resolve(addr("bob@example.org")), "not passed to the catch-all either");
        assertEquals(local("carol@example.org"), directory.resolve(addr("both@example.org")));
    }

    // ------------------------------------------------------ events and closing

    @Test
    void eachDurableChangeIsAnnounced() throws Exception {
        directory.addDomain("example.org");
        directory.addAccount(addr("bob@example.org"), pw("pw"));
        directory.setPassword(addr("bob@example.org"), pw("pw2"));
        directory.putAlias("a@example.org", List.of(addr("bob@example.org")));
        directory.putAlias("a@example.org", List.of(addr("x@remote.test")));
        directory.removeAlias("a@example.org");
        directory.removeAccount(addr("bob@example.org"));
        directory.removeDomain("example.org");
        assertThrows(DirectoryException.class, () -> directory.addDomain("example.org."));
        directory.removeAccount(addr("ghost@example.org"));
        assertEquals(List.of(
                "DOMAIN_CHANGED example.org added",
                "ACCOUNT_CHANGED bob@example.org added",
                "ACCOUNT_CHANGED bob@example.org changed",
                "ALIAS_CHANGED a@example.org added",
                "ALIAS_CHANGED a@example.org changed",
                "ALIAS_CHANGED a@example.org removed",
                "ACCOUNT_CHANGED bob@example.org removed",
                "DOMAIN_CHANGED example.org removed"), events.seen, "refused and empty changes announce nothing");
    }

    @Test
    void listenerFailureDoesNotUndoTheChange() throws Exception {
        FileDirectory failing = FileDirectory.open(dir.resolve("other"), Fixtures.SETTINGS, Clock.systemUTC(),
                (topic, name, change) -> {
                    throw new IllegalStateException("event admin gone");
                });
        failing.addDomain("example.org");
        assertTrue(failing.isLocalDomain("example.org"));
        assertTrue(Fixtures.open(dir.resolve("other")).isLocalDomain("example.org"));
    }

    @Test
    void closedDirectoryRefusesChangesButStillReads() throws Exception {
        directory.addDomain("example.org");
        directory.close();
        DirectoryException e = assertThrows(DirectoryException.class, () -> directory.addDomain("example.net"));
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
        assertTrue(directory.isLocalDomain("example.org"));
    }

    @Test
    void summaryCountsForHealth() throws Exception {
        directory.addDomain("example.org");
        directory.addDomain("example.net");
        directory.addAccount(addr("bob@example.org"), pw("pw"));
        directory.putAlias("@example.net", List.of(addr("bob@example.org")));
        assertEquals("2 domains, 1 account, 1 alias (" + dir.resolve("directory.json") + ")", directory.summary());
        directory.putAlias("x@example.net", List.of(addr("bob@example.org")));
        assertTrue(directory.summary().startsWith("2 domains, 1 account, 2 aliases ("), directory.summary());
    }

    private static Recipients local(String address) {
        return new Recipients(Set.of(addr(address)), Set.of());
    }
}
