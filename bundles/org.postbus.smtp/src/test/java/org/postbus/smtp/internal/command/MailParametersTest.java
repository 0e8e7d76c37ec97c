package org.postbus.smtp.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.DsnNotify;
import org.postbus.api.mail.DsnReturn;

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
        assertEquals(555, code("FROB=FULL"));
        assertEquals(501, code("SIZE=x"));
        assertEquals(501, code("SIZE"));
        assertEquals(501, code("SIZE=1 SIZE=2"));
        assertEquals(501, code("BODY=BINARYMIME"));
        assertEquals(501, code("SMTPUTF8=yes"));
        assertEquals(501, code("=x"));
        assertEquals(555, assertThrows(Refusal.class, () -> MailParameters.Recipient.parse("FROB=1")).reply().code());
        assertEquals(501, code("RET=NONE"));
        assertEquals(501, code("ENVID=a+"));
        assertEquals(501, code("REQUIRETLS=1"));
    }

    @Test
    void dsnAndRequireTlsParameters() throws Refusal {
        MailParameters parameters = MailParameters.parse("RET=hdrs ENVID=id+2B+3D1 REQUIRETLS");
        assertEquals(Optional.of(DsnReturn.HDRS), parameters.dsnReturn());
        assertEquals(Optional.of("id+=1"), parameters.envelopeId());
        assertTrue(parameters.requireTls());
        assertEquals(Optional.of(DsnReturn.FULL), MailParameters.parse("RET=FULL").dsnReturn());

        MailParameters.Recipient recipient = MailParameters.Recipient.parse(
                "NOTIFY=failure,Delay ORCPT=rfc822;a+2Bb@example.org");
        assertEquals(Set.of(DsnNotify.FAILURE, DsnNotify.DELAY), recipient.notifyOn());
        assertEquals(Optional.of("rfc822;a+b@example.org"), recipient.originalRecipient());
        assertEquals(Set.of(DsnNotify.NEVER), MailParameters.Recipient.parse("NOTIFY=NEVER").notifyOn());
        assertEquals(new MailParameters.Recipient(Set.of(), Optional.empty()), MailParameters.Recipient.parse(""));
    }

    @Test
    void xtextDecodesHexAndRefusesWhatIsNotXtext() throws Refusal {
        assertEquals("a+b=c", Xtext.decode("a+2Bb+3Dc", "X"));
        for (String bad : new String[] {"a+2b", "a+2", "a=b", "a b", "\u00e9"}) {
            assertEquals(501, assertThrows(Refusal.class, () -> Xtext.decode(bad, "X")).reply().code(), bad);
        }
    }

    private static int code(String text) {
        return assertThrows(Refusal.class, () -> MailParameters.parse(text)).reply().code();
    }
}
