package org.postbus.pop3.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.testkit.ScramClientSide;

/** STLS (RFC 2595), implicit TLS, and SCRAM-SHA-256 relayed to the directory's exchange. */
@Timeout(60)
class TlsAndSaslTest {

    @TempDir
    Path storeRoot;

    private static TestServer noPlaintext(Path root, boolean implicitTls) throws Exception {
        return TestServer.start(root, s -> new ListenerSettings(s.name(), s.host(), s.port(), implicitTls, true, false,
                1024, s.commandTimeout(), s.idleTimeout(), 500, 20, 3, 20, 3, s.authFailureDelay(), 10,
                s.lockoutTime(), s.hostname()));
    }

    @Test
    void stlsThenLoginWhereLoginNeedsTls() throws Exception {
        try (TestServer server = noPlaintext(storeRoot, false); Pop3Client client = server.connect()) {
            server.rfcExample();
            client.line();
            client.expect("USER alice", "-ERR [AUTH] Plaintext authentication disallowed");
            // Pipelined plaintext after STLS is dropped, not run under TLS.
            client.send("STLS\r\nUSER mallory\r\n");
            assertEquals("+OK Begin TLS negotiation", client.line());
            client.startTls();
            client.expect("CAPA", "+OK");
            List<String> capabilities = client.body();
            assertTrue(capabilities.contains("USER"), capabilities.toString());
            assertTrue(capabilities.contains("SASL PLAIN SCRAM-SHA-256"), capabilities.toString());
            assertFalse(capabilities.contains("STLS"), capabilities.toString());
            client.expect("STLS", "-ERR TLS already active");
            client.expect("PASS secret", "-ERR Send USER first");
            client.expect("USER alice", "+OK");
            client.expect("PASS secret", "+OK Logged in, maildrop has 2 messages (320 octets)");
            client.expect("RETR 1", "+OK 120 octets");
            assertEquals(7, client.body().size());
            client.expect("QUIT", "+OK");
        }
    }

    @Test
    void implicitTlsSpeaksTlsFromTheFirstByte() throws Exception {
        try (TestServer server = noPlaintext(storeRoot, true); Pop3Client client = Pop3Client.tls(server.port())) {
            assertEquals("+OK Postbus POP3 server ready", client.line());
            client.expect("CAPA", "+OK");
            List<String> capabilities = client.body();
            assertTrue(capabilities.contains("USER"));
            assertFalse(capabilities.contains("STLS"));
            client.expect("AUTH PLAIN AGFsaWNlAHNlY3JldA==", "+OK Logged in");
            client.expect("QUIT", "+OK");
        }
    }

    @Test
    void withoutTheTlsServiceStlsIsNotOfferedAndRefusedForNow() throws Exception {
        try (TestServer server = TestServer.start(storeRoot); Pop3Client client = server.connect()) {
            server.tlsPresent = false;
            client.line();
            client.expect("CAPA", "+OK");
            assertFalse(client.body().contains("STLS"));
            client.expect("STLS", "-ERR [SYS/TEMP] TLS not available now");
            server.tlsPresent = true;
            client.expect("STLS", "+OK");
            client.startTls();
            client.expect("NOOP", "-ERR Not logged in");
        }
    }

    @Test
    void scramSha256IsRelayedToTheDirectory() throws Exception {
        try (TestServer server = TestServer.start(storeRoot); Pop3Client client = server.connect()) {
            client.line();
            String clientNonce = "fyko+d2lbbFgONRv9qkxdawL";
            String clientFirstBare = "n=alice,r=" + clientNonce;
            String challenge = client.expect("AUTH SCRAM-SHA-256 " + base64("n,," + clientFirstBare), "+ ");
            String serverFirst = unbase64(challenge.substring(2));
            String nonce = ScramClientSide.attribute(serverFirst, 'r');
            assertTrue(nonce.startsWith(clientNonce));
            byte[] salt = Base64.getDecoder().decode(ScramClientSide.attribute(serverFirst, 's'));
            int iterations = Integer.parseInt(ScramClientSide.attribute(serverFirst, 'i'));
            String withoutProof = "c=biws,r=" + nonce;
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] salted = ScramClientSide.saltedPassword("secret", salt, iterations);
            byte[] proof = ScramClientSide.clientProof(salted, authMessage);
            String serverFinal = unbase64(client.expect(
                    base64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)), "+ ").substring(2));
            assertArrayEquals(ScramClientSide.serverSignature(salted, authMessage),
                    Base64.getDecoder().decode(ScramClientSide.attribute(serverFinal, 'v')));
            client.expect("", "+OK Logged in");
            client.expect("QUIT", "+OK");
        }
    }

    @Test
    void scramWithoutInitialResponseAndAWrongPasswordFails() throws Exception {
        try (TestServer server = TestServer.start(storeRoot); Pop3Client client = server.connect()) {
            client.line();
            client.expect("AUTH SCRAM-SHA-256", "+ ");
            String serverFirst = unbase64(client.command(base64("n,,n=alice,r=abcdef")).substring(2));
            String withoutProof = "c=biws,r=" + ScramClientSide.attribute(serverFirst, 'r');
            client.expect(base64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(new byte[32])),
                    "-ERR [AUTH] Authentication failed");
            client.expect("AUTH SCRAM-SHA-256", "+ ");
            client.expect("*", "-ERR Authentication cancelled");
            server.directory.scram = false;
            client.expect("AUTH SCRAM-SHA-256", "-ERR Unrecognized authentication mechanism");
            client.expect("CAPA", "+OK");
            assertTrue(client.body().contains("SASL PLAIN"));
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unbase64(String text) {
        return new String(Base64.getDecoder().decode(text.strip()), StandardCharsets.UTF_8);
    }
}
