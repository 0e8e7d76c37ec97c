package org.postbus.directory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "mail.example.co.uk", "localhost", "a-b.example", "1and1.com", "xn--bcher-kva.example"})
    void acceptsLdhNames(String name) {
        assertEquals(name, DomainNames.normalize(name));
    }

    @Test
    void lowerCases() {
        assertEquals("example.org", DomainNames.normalize("Example.ORG"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "example..org", ".example.org", "example.org.", "-a.example", "a-.example",
        "exa_mple.org", "exa mple.org", "bücher.example", "192.168.1.1", "example.123", "a@b.org"})
    void rejectsOthers(String name) {
        assertFalse(DomainNames.isValid(name), name);
        assertThrows(IllegalArgumentException.class, () -> DomainNames.normalize(name));
    }

    @Test
    void enforcesLengthLimits() {
        String label63 = "a".repeat(63);
        assertTrue(DomainNames.isValid(label63 + ".org"));
        assertFalse(DomainNames.isValid("a".repeat(64) + ".org"));
        String name253 = (label63 + ".").repeat(3) + "a".repeat(61);
        assertEquals(253, name253.length());
        assertTrue(DomainNames.isValid(name253));
        assertFalse(DomainNames.isValid(name253 + "a"));
    }

    @Test
    void localPartRejectsSpecialsAndControls() {
        DomainNames.checkLocalPart("first.last+tag");
        for (String bad : new String[] {"a b", "a\u0000b", "a<b", "a\"b", "a@b", "a,b"}) {
            assertThrows(IllegalArgumentException.class, () -> DomainNames.checkLocalPart(bad), bad);
        }
    }

    @Test
    void shownEscapesControlCharactersSoLogLinesStayOneLine() {
        assertEquals("'a\\x0ab'", DomainNames.shown("a\nb"));
    }
}
