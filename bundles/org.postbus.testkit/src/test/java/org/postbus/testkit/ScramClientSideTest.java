package org.postbus.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The hand client's computations against the example exchange of RFC 7677, section 3. */
class ScramClientSideTest {

    @Test
    void reproducesTheRfc7677Example() {
        String clientFirstBare = "n=user,r=rOprNGfwEbeRWgbNEkqO";
        String serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        String withoutProof = "c=biws,r=" + ScramClientSide.attribute(serverFirst, 'r');
        byte[] salted = ScramClientSide.saltedPassword("pencil",
                Base64.getDecoder().decode(ScramClientSide.attribute(serverFirst, 's')),
                Integer.parseInt(ScramClientSide.attribute(serverFirst, 'i')));
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        assertEquals("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                Base64.getEncoder().encodeToString(ScramClientSide.clientProof(salted, authMessage)));
        assertEquals("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
                Base64.getEncoder().encodeToString(ScramClientSide.serverSignature(salted, authMessage)));
    }
}
