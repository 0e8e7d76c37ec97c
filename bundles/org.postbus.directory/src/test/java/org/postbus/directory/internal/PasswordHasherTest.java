package org.postbus.directory.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    private final PasswordHasher fast = new PasswordHasher(Fixtures.FAST, new SecureRandom());

    /** RFC 9106, section 5.3: the Argon2id test vector, through the same code that hashes passwords. */
    @Test
    void matchesRfc9106Argon2idVector() {
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] associated = filled(12, 0x04);
        byte[] tag = PasswordHasher.argon2id(password, salt, secret, associated, new PasswordHasher.Params(32, 3, 4), 32);
        assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", HexFormat.of().formatHex(tag));
    }

    /** PHC strings made by the reference implementation's command line tool ({@code argon2 ... -id -e}). */
    @Test
    void verifiesHashesFromTheReferenceImplementation() {
        String reference1 = "$argon2id$v=19$m=64,t=2,p=2$c2FsdHNhbHRzYWx0MTZi$NFmPgZsJdjIDZFIjMlMmbZY6/R4qFYzzeN8ksV0ufHo";
        String reference2 = "$argon2id$v=19$m=256,t=3,p=1$c2FsdHNhbHRzYWx0MTZi$aWQg8Tc/QgyoiK8M9KEv+Q";
        assertTrue(fast.verify(Fixtures.pw("correct horse"), reference1));
        assertTrue(fast.verify(Fixtures.pw("correct horse"), reference2));
        assertFalse(fast.verify(Fixtures.pw("correct horsf"), reference1));
        // and our formatting reproduces the reference string exactly
        PasswordHasher.Phc parsed = PasswordHasher.parse(reference1);
        assertEquals(reference1, PasswordHasher.format(parsed.params(), parsed.salt(), parsed.hash()));
    }

    @Test
    void hashIsStandardPhcStringWithConfiguredParameters() {
        String hash = fast.hash(Fixtures.pw("secret"));
        var m = PHC.matcher(hash);
        assertTrue(m.matches(), hash);
        assertEquals("64", m.group(1));
        assertEquals("1", m.group(2));
        assertEquals("1", m.group(3));
        assertEquals(22, m.group(4).length(), "16 bytes of salt in unpadded base64");
        assertEquals(43, m.group(5).length(), "32 bytes of hash in unpadded base64");
        PasswordHasher.Phc parsed = PasswordHasher.parse(hash);
        assertEquals(PasswordHasher.SALT_BYTES, parsed.salt().length);
        assertEquals(PasswordHasher.HASH_BYTES, parsed.hash().length);
    }

    @Test
    void defaultParametersProduceTheDocumentedPrefixAndVerify() {
        PasswordHasher hasher = new PasswordHasher(PasswordHasher.Params.DEFAULT, new SecureRandom());
        String hash = hasher.hash(Fixtures.pw("pässwörd"));
        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        assertTrue(hasher.verify(Fixtures.pw("pässwörd"), hash));
        assertFalse(hasher.verify(Fixtures.pw("passwörd"), hash));
    }

    @Test
    void saltsDiffer() {
        String a = fast.hash(Fixtures.pw("same"));
        String b = fast.hash(Fixtures.pw("same"));
        assertNotEquals(a, b);
        assertTrue(fast.verify(Fixtures.pw("same"), a));
        assertTrue(fast.verify(Fixtures.pw("same"), b));
    }

    @Test
    void verifiesHashMadeWithOtherParameters() {
        PasswordHasher old = new PasswordHasher(new PasswordHasher.Params(128, 2, 2), new SecureRandom());
        String hash = old.hash(Fixtures.pw("kept"));
        assertTrue(hash.contains("$m=128,t=2,p=2$"));
        assertTrue(fast.verify(Fixtures.pw("kept"), hash), "parameters come from the stored string");
        assertFalse(fast.verify(Fixtures.pw("lost"), hash));
    }

    @Test
    void dummyCostsAFullHashWithCurrentParametersAndNeverMatches() {
        // The dummy is verified like a real hash, so unknown users cost as much time as known ones.
        assertFalse(fast.verifyDummy(Fixtures.pw("anything")));
    }

    @Test
    void malformedPhcStringsAreRejectedNotVerified() {
        String good = fast.hash(Fixtures.pw("x"));
        String[] bad = {
            "", "plain", good.replace("argon2id", "argon2i"), good.replace("v=19", "v=16"),
            good.replace("m=64,t=1,p=1", "t=1,m=64,p=1"), good.replace("m=64", "m=abc"), good.replace("m=64", "m=4"),
            good.replace("m=64", "m=99999999"), good.substring(0, good.lastIndexOf('$')), good + "$extra",
            good.substring(0, good.lastIndexOf('$') + 1) + "!!!!",
        };
        for (String phc : bad) {
            assertThrows(IllegalArgumentException.class, () -> PasswordHasher.parse(phc), phc);
            assertFalse(fast.verify(Fixtures.pw("x"), phc), phc);
        }
    }

    @Test
    void parametersAreRangeChecked() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher.Params(8, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher.Params(64, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher.Params(64, 1, 0));
        new PasswordHasher.Params(16, 1, 2);
    }

    @Test
    void deriveEncodesPasswordAsUtf8() {
        byte[] salt = filled(16, 7);
        byte[] fromChars = PasswordHasher.derive(Fixtures.pw("é"), salt, Fixtures.FAST, 32);
        byte[] fromBytes = PasswordHasher.argon2id(new byte[] {(byte) 0xc3, (byte) 0xa9}, salt, null, null, Fixtures.FAST, 32);
        assertArrayEquals(fromBytes, fromChars);
    }

    private static byte[] filled(int n, int value) {
        byte[] bytes = new byte[n];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
