package org.postbus.directory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.postbus.directory.internal.Fixtures.addr;
import static org.postbus.directory.internal.Fixtures.pw;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.directory.AuthResult;

class AuthenticationTest {

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private FileDirectory directory;

    @BeforeEach
    void open() throws Exception {
        directory = open(Fixtures.SETTINGS.withLockout(3, Duration.ofMinutes(15)));
    }

    private FileDirectory open(DirectorySettings settings) throws Exception {
        FileDirectory opened = FileDirectory.open(dir, settings, clock, ChangeListener.NONE);
        if (opened.domains().isEmpty()) {
            opened.addDomain("example.org");
            opened.addDomain("example.net");
            opened.addAccount(addr("Bob@example.org"), pw("right"));
            opened.addAccount(addr("carol@example.net"), pw("carols"));
        }
        return opened;
    }

    @Test
    void rightPasswordSucceedsWithTheAccount() {
        AuthResult result = directory.authenticate("bob@example.org", pw("right"));
        assertEquals(AuthResult.Status.SUCCESS, result.status());
        assertEquals("Bob@example.org", result.account().orElseThrow().username());
        assertTrue(directory.authenticate("BOB@Example.Org", pw("right")).succeeded(), "case of the name does not matter");
    }

    @Test
    void loginAddressReadsANameAsAuthenticateDoes() {
        // example.org was added first: it is the default domain for bare names
        assertEquals(Optional.of(addr("bob@example.org")), directory.loginAddress("bob"));
        assertEquals(Optional.of(addr("carol@example.net")), directory.loginAddress(" carol@example.net "));
        assertEquals(Optional.of(addr("nobody@example.org")), directory.loginAddress("nobody"),
                "whether the account exists is not said");
        assertEquals(Optional.empty(), directory.loginAddress(""));
    }

    @Test
    void wrongPasswordAndUnknownUserLookAlike() {
        assertSame(AuthResult.INVALID, directory.authenticate("bob@example.org", pw("wrong")));
        assertSame(AuthResult.INVALID, directory.authenticate("bob@example.org", pw("RIGHT")));
        assertSame(AuthResult.INVALID, directory.authenticate("nobody@example.org", pw("right")));
        assertSame(AuthResult.INVALID, directory.authenticate("bob@remote.test", pw("right")));
        assertSame(AuthResult.INVALID, directory.authenticate("not an address@", pw("right")));
        assertSame(AuthResult.INVALID, directory.authenticate("", pw("right")));
        assertSame(AuthResult.INVALID, directory.authenticate(null, pw("right")));
        assertSame(AuthResult.INVALID, directory.authenticate("bob@example.org", pw("")));
        assertSame(AuthResult.INVALID, directory.authenticate("bob@example.org", null));
    }

    @Test
    void bareLocalPartMeansTheFirstDomain() {
        assertTrue(directory.authenticate("bob", pw("right")).succeeded());
        assertSame(AuthResult.INVALID, directory.authenticate("carol", pw("carols")), "carol is in the second domain");
        assertTrue(directory.authenticate("carol@example.net", pw("carols")).succeeded());
    }

    @Test
    void configuredDefaultDomainWinsForBareNames() throws Exception {
        FileDirectory configured = open(Fixtures.SETTINGS.withDefaultDomain("example.net"));
        assertTrue(configured.authenticate("carol", pw("carols")).succeeded());
        assertSame(AuthResult.INVALID, configured.authenticate("bob", pw("right")));
    }

    @Test
    void disabledAccountWithRightPassword() throws Exception {
        directory.setEnabled(addr("bob@example.org"), false);
        assertSame(AuthResult.DISABLED, directory.authenticate("bob@example.org", pw("right")));
        assertSame(AuthResult.INVALID, directory.authenticate("bob@example.org", pw("wrong")),
                "a wrong password does not learn that the account is disabled");
    }

    @Test
    void lockoutAfterFailuresUntilWindowPasses() {
        for (int i = 0; i < 3; i++) {
            assertSame(AuthResult.INVALID, directory.authenticate("bob@example.org", pw("guess" + i)));
            clock.advance(Duration.ofMinutes(1));
        }
        assertSame(AuthResult.LOCKED, directory.authenticate("bob@example.org", pw("right")), "even the right password");
        assertSame(AuthResult.LOCKED, directory.authenticate("bob", pw("right")), "the bare name is the same user");
        assertTrue(directory.authenticate("carol@example.net", pw("carols")).succeeded(), "others are not affected");

        clock.advance(Duration.ofMinutes(12)); // 15 minutes after the first failure: it no longer counts
        assertTrue(directory.authenticate("bob@example.org", pw("right")).succeeded());
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        for (int i = 0; i < 6; i++) {
            assertSame(AuthResult.INVALID, directory.authenticate("bob@example.org", pw("guess")));
            clock.advance(Duration.ofMinutes(8));
        }
        assertTrue(directory.authenticate("bob@example.org", pw("right")).succeeded());
    }

    @Test
    void successResetsTheFailureCount() {
        directory.authenticate("bob@example.org", pw("guess"));
        directory.authenticate("bob@example.org", pw("guess"));
        assertTrue(directory.authenticate("bob@example.org", pw("right")).succeeded());
        directory.authenticate("bob@example.org", pw("guess"));
        directory.authenticate("bob@example.org", pw("guess"));
        assertTrue(directory.authenticate("bob@example.org", pw("right")).succeeded());
    }

    @Test
    void unknownUsersAreLockedTooSoLockingRevealsNothing() {
        for (int i = 0; i < 3; i++) {
            directory.authenticate("ghost@example.org", pw("guess"));
        }
        assertSame(AuthResult.LOCKED, directory.authenticate("ghost@example.org", pw("guess")));
    }

    @Test
    void newPasswordEndsLockout() throws Exception {
        for (int i = 0; i < 3; i++) {
            directory.authenticate("bob@example.org", pw("guess"));
        }
        directory.setPassword(addr("bob@example.org"), pw("fresh"));
        assertTrue(directory.authenticate("bob@example.org", pw("fresh")).succeeded());
    }

    @Test
    void cachedLoginNeverOutlivesPasswordChangeOrRemoval() throws Exception {
        assertTrue(directory.authenticate("bob@example.org", pw("right")).succeeded());
        directory.setPassword(addr("bob@example.org"), pw("new"));
        assertSame(AuthResult.INVALID, directory.authenticate("bob@example.org", pw("right")));
        assertTrue(directory.authenticate("bob@example.org", pw("new")).succeeded());
        directory.removeAccount(addr("bob@example.org"));
        assertSame(AuthResult.INVALID, directory.authenticate("bob@example.org", pw("new")));
    }

    @Test
    void cacheHoldsForItsTimeAndDisablingStillCounts() throws Exception {
        assertTrue(directory.authenticate("bob@example.org", pw("right")).succeeded());
        clock.advance(Duration.ofSeconds(59));
        assertTrue(directory.authenticate("bob@example.org", pw("right")).succeeded());
        assertSame(AuthResult.INVALID, directory.authenticate("bob@example.org", pw("wrong")), "cache is per password");
        directory.setEnabled(addr("bob@example.org"), false);
        assertSame(AuthResult.DISABLED, directory.authenticate("bob@example.org", pw("right")));
    }

    @Test
    void credentialCacheMatchesOnlySamePasswordSameHashWithinTtl() {
        TestClock time = new TestClock();
        CredentialCache cache = new CredentialCache(Duration.ofSeconds(60), new java.security.SecureRandom());
        var bob = addr("bob@example.org");
        cache.put(bob, "$hash1", pw("pw"), time.instant());
        assertTrue(cache.matches(addr("BOB@example.org"), "$hash1", pw("pw"), time.instant()));
        assertEquals(false, cache.matches(bob, "$hash1", pw("pw2"), time.instant()));
        assertEquals(false, cache.matches(bob, "$hash2", pw("pw"), time.instant()), "password changed meanwhile");
        cache.put(bob, "$hash1", pw("pw"), time.instant());
        time.advance(Duration.ofSeconds(60));
        assertEquals(false, cache.matches(bob, "$hash1", pw("pw"), time.instant()), "expired");
        cache.put(bob, "$hash1", pw("pw"), time.instant());
        cache.invalidate(bob);
        assertEquals(false, cache.matches(bob, "$hash1", pw("pw"), time.instant()));
        CredentialCache off = new CredentialCache(Duration.ZERO, new java.security.SecureRandom());
        off.put(bob, "$hash1", pw("pw"), time.instant());
        assertEquals(false, off.matches(bob, "$hash1", pw("pw"), time.instant()));
    }

    @Test
    void lockoutOffWhenLimitIsZero() throws Exception {
        FileDirectory unlimited = open(Fixtures.SETTINGS.withLockout(0, Duration.ofMinutes(15)));
        for (int i = 0; i < 20; i++) {
            unlimited.authenticate("bob@example.org", pw("guess"));
        }
        assertTrue(unlimited.authenticate("bob@example.org", pw("right")).succeeded());
    }

    @Test
    void lockoutTableIsBounded() {
        FailureLockout lockout = new FailureLockout(1, Duration.ofMinutes(15));
        var now = clock.instant();
        lockout.recordFailure("first", now);
        assertTrue(lockout.isLocked("first", now));
        for (int i = 0; i < FailureLockout.MAX_TRACKED; i++) {
            lockout.recordFailure("name" + i, now);
        }
        assertEquals(false, lockout.isLocked("first", now), "oldest entry made room");
        assertTrue(lockout.isLocked("name" + (FailureLockout.MAX_TRACKED - 1), now));
    }

    @Test
    void passwordsNeverReachTheFile() throws Exception {
        directory.setPassword(addr("bob@example.org"), pw("Tr0ub4dor&3"));
        directory.authenticate("bob@example.org", pw("Tr0ub4dor&3"));
        String json = Files.readString(dir.resolve("directory.json"));
        assertEquals(false, json.contains("Tr0ub4dor"), json);
    }
}
