package org.postbus.directory.internal.scram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.AuthResult;
import org.postbus.api.directory.SaslStep;
import org.postbus.api.mail.MailAddress;

class ScramExchangeTest {

    // RFC 7677 section 3.
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static final Account USER = new Account(MailAddress.parse("user@example.org"), Account.UNLIMITED, true,
            java.time.Instant.EPOCH);

    /** Users with one account, "user", password "pencil", with the RFC's salt; records the calls. */
    private static final class Users implements ScramUsers {
        final ScramCredential pencil = ScramCredential.derive("pencil".toCharArray(),
                Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        final FakeCredentials fakes = FakeCredentials.inMemory(new byte[32], 4096);
        final List<String> finished = new ArrayList<>();

        @Override
        public ScramCredential challenge(String username) {
            return username.equals("user") ? pencil : fakes.of(username);
        }

        @Override
        public AuthResult finish(String username, ScramCredential offered, boolean proofValid) {
            finished.add(username + " " + proofValid);
            return proofValid && offered.sameAs(pencil) ? AuthResult.success(USER) : AuthResult.INVALID;
        }
    }

    private final Users users = new Users();

    private ScramExchange exchange() {
        return new ScramExchange(users, () -> SERVER_NONCE);
    }

    private static String challenge(SaslStep step) {
        assertFalse(step.done(), "expected a challenge, got " + step.result());
        return new String(step.challenge().orElseThrow(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rfc7677TestVector() {
        ScramExchange exchange = exchange();
        assertEquals("SCRAM-SHA-256", exchange.mechanism());
        assertEquals(SERVER_FIRST, challenge(exchange.evaluate(bytes(CLIENT_FIRST))));
        assertEquals(SERVER_FINAL, challenge(exchange.evaluate(bytes(CLIENT_FINAL))));
        SaslStep outcome = exchange.evaluate(new byte[0]);
        assertTrue(outcome.done());
        assertEquals(USER, outcome.result().orElseThrow().account().orElseThrow());
        assertEquals(List.of("user true"), users.finished);
        assertThrows(IllegalStateException.class, () -> exchange.evaluate(new byte[0]));
    }

    @Test
    void wrongProofFailsWithoutServerSignature() {
        ScramExchange exchange = exchange();
        challenge(exchange.evaluate(bytes(CLIENT_FIRST)));
        String tampered = CLIENT_FINAL.replace("p=dHzb", "p=eHzb");
        SaslStep step = exchange.evaluate(bytes(tampered));
        assertSame(AuthResult.INVALID, step.result().orElseThrow());
        assertEquals(List.of("user false"), users.finished);
    }

    @Test
    void nonEmptyAnswerToServerFinalFails() {
        ScramExchange exchange = exchange();
        challenge(exchange.evaluate(bytes(CLIENT_FIRST)));
        challenge(exchange.evaluate(bytes(CLIENT_FINAL)));
        assertSame(AuthResult.INVALID, exchange.evaluate(bytes("x")).result().orElseThrow());
    }

    @Test
    void channelBindingIsRefusedWithAServerError() {
        ScramExchange exchange = exchange();
        assertEquals("e=channel-binding-not-supported",
                challenge(exchange.evaluate(bytes("p=tls-unique,,n=user,r=abc"))));
        assertSame(AuthResult.INVALID, exchange.evaluate(new byte[0]).result().orElseThrow());
        assertTrue(users.finished.isEmpty());
    }

    @Test
    void clientSupportingChannelBindingIsAcceptedSinceNoneIsOffered() {
        ScramExchange exchange = exchange();
        String first = challenge(exchange.evaluate(bytes("y,,n=user,r=rOprNGfwEbeRWgbNEkqO")));
        assertEquals(SERVER_FIRST, first);
        // c= must now carry "y,,"; the RFC's proof was made for "n,,", so the binding check fails.
        assertEquals("e=channel-bindings-dont-match", challenge(exchange.evaluate(bytes(CLIENT_FINAL))));
    }

    @Test
    void authzidMustBeTheUser() {
        assertEquals(SERVER_FIRST, challenge(exchange().evaluate(bytes("n,a=user,n=user,r=rOprNGfwEbeRWgbNEkqO"))));
        assertEquals("e=invalid-authzid",
                challenge(exchange().evaluate(bytes("n,a=admin,n=user,r=rOprNGfwEbeRWgbNEkqO"))));
    }

    @Test
    void mandatoryExtensionsAreRefused() {
        assertEquals("e=extensions-not-supported",
                challenge(exchange().evaluate(bytes("n,,m=foo,n=user,r=abc"))));
    }

    @Test
    void malformedMessagesEndTheExchange() {
        for (String bad : List.of("", "n", "n,,", "x,,n=user,r=abc", "n,,r=abc,n=user", "n,,n=user", "n,,n=,r=abc",
                "n,,n=us=er,r=abc", "n,,n=user,r=", "n,,n=user,r=a b")) {
            SaslStep step = exchange().evaluate(bytes(bad));
            assertSame(AuthResult.INVALID, step.result().orElseThrow(), bad);
        }
        assertSame(AuthResult.INVALID, exchange().evaluate(new byte[] {(byte) 0xC3, 0x28}).result().orElseThrow(),
                "not UTF-8");
        for (String bad : List.of("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", "nonsense",
                "c=biws,r=otherNonce,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                "c=!!!,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAA")) {
            ScramExchange exchange = exchange();
            challenge(exchange.evaluate(bytes(CLIENT_FIRST)));
            assertSame(AuthResult.INVALID, exchange.evaluate(bytes(bad)).result().orElseThrow(), bad);
        }
    }

    @Test
    void saslNamesDecodeTheirEscapes() {
        assertEquals("a,b=c", ScramExchange.saslName("a=2Cb=3Dc"));
        assertThrows(IllegalArgumentException.class, () -> ScramExchange.saslName("a=2"));
    }

    @Test
    void unknownUsersGetTheSameSaltEveryTime() {
        String first = challenge(exchange().evaluate(bytes("n,,n=nobody,r=abc")));
        String again = challenge(exchange().evaluate(bytes("n,,n=nobody,r=abc")));
        assertEquals(first, again);
        assertTrue(first.endsWith(",i=4096"), first);
        String other = challenge(exchange().evaluate(bytes("n,,n=somebody,r=abc")));
        assertFalse(other.substring(other.indexOf(",s=")).equals(first.substring(first.indexOf(",s="))));
    }

    @Test
    void credentialRoundTripsThroughItsStoredForm() {
        ScramCredential credential = users.pencil;
        ScramCredential parsed = ScramCredential.parse(credential.format());
        assertTrue(parsed.sameAs(credential));
        assertArrayEquals(credential.salt(), parsed.salt());
        assertTrue(credential.format().startsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"));
        assertThrows(IllegalArgumentException.class, () -> ScramCredential.parse("SCRAM-SHA-256$100:AAAA$x:y"));
        assertThrows(IllegalArgumentException.class, () -> ScramCredential.parse("$argon2id$"));
    }
}
