package org.postbus.smtp.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MailParametersTest {

    @Test
    void knownParameters() throws Refusal {
        MailParameters parameters = MailParameters.parse("size=1234 BODY=8bitmime SMTPUTF8 AUTH=<>");
        assertEquals(1234, parameters.size());
        assertTrue(parameters.smtputf8());
        assertEquals(MailParameters.NONE, MailParameters.parse(""));
    }

    @Test
    void refusals() {
        assertEquals(555, code("RET=FULL"));
        assertEquals(501, code("SIZE=x"));
        assertEquals(501, code("SIZE"));
        assertEquals(501, code("SIZE=1 SIZE=2"));
        assertEquals(501, code("BODY=BINARYMIME"));
        assertEquals(501, code("SMTPUTF8=yes"));
        assertEquals(501, code("=x"));
        assertEquals(555, assertThrows(Refusal.class, () -> MailParameters.requireNone("NOTIFY=NEVER")).reply().code());
    }

    private static int code(String text) {
        return assertThrows(Refusal.class, () -> MailParameters.parse(text)).reply().code();
    }
}
