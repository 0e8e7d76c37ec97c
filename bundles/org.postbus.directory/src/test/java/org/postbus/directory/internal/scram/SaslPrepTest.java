package org.postbus.directory.internal.scram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.ongres.saslprep.SASLprep;
import com.ongres.stringprep.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaslPrepTest {

    private static final Profile ONGRES = new SASLprep();

    @Test
    void rfc4013Examples() {
        assertEquals("IX", SaslPrep.prepare("I\u00ADX"), "soft hyphen mapped to nothing");
        assertEquals("user", SaslPrep.prepare("user"));
        assertEquals("USER", SaslPrep.prepare("USER"), "case is kept");
        assertEquals("a", SaslPrep.prepare("\u00AA"), "NFKC");
        assertEquals("IX", SaslPrep.prepare("\u2168"), "NFKC");
        assertThrows(IllegalArgumentException.class,
                () -> SaslPrep.prepare("\u0007"), "control character");
        assertThrows(IllegalArgumentException.class,
                () -> SaslPrep.prepare("\u0627\u0031"), "bidi rule");
    }

    @Test
    void agreesWithAnIndependentImplementation() {
        List<String> samples = List.of("pencil", "pass word", "p\u00E4ssw\u00F6rd", "pa\u0308ssword", "\uFF50\uFF41\uFF53\uFF53",
                "a\u00A0b", "a\u3000b", "\u00BD", "ﬁ", "Straße", "\u0627\u0644\u0639\u0631\u0628\u064A\u0629",
                "\u05D0\u05D1\u05D2", "日本語パスワード", "\uD83D\uDE00smile", "x\u200By", "\u2126");
        for (String sample : samples) {
            assertEquals(ONGRES.prepareQuery(sample),
                    SaslPrep.prepare(sample), sample);
        }
        for (String prohibited : List.of("a\u0000b", "tab\there", "\uE000", "\uFFFF", "a\u200Eb", "\u0627a\u0627",
                "\u0627\u0031", "\uDB80\uDC00")) {
            assertThrows(IllegalArgumentException.class, () -> ONGRES.prepareQuery(prohibited), prohibited);
            assertThrows(IllegalArgumentException.class,
                    () -> SaslPrep.prepare(prohibited), prohibited);
        }
    }
}
