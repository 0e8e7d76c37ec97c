package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.imap.internal.session.SessionRegistry;
import org.postbus.testkit.ScramClientSide;
import org.postbus.testkit.TestTls;

/**
 * STARTTLS and implicit TLS, COMPRESS=DEFLATE, SCRAM-SHA-256 relayed to the directory, a missing
 * store or directory, and the connection, user and login-failure limits.
 */
@Timeout(120)
class SecurityAndLimitsTest {

    @TempDir
    Path dir;

    private static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    @Test
    void startTlsDropsPipelinedPlaintextAndThenLogsIn() throws Exception {
        try (TestServer server = TestServer.start(dir, s -> settings(s, false, false, 1000, 100, 3, 20));
                ImapClient c = server.connect()) {
            String greeting = c.read();
            assertTrue(greeting.contains("LOGINDISABLED") && greeting.contains("STARTTLS"), greeting);
            // The injection attack: a command pipelined in plaintext after STARTTLS must not run.
            c.send("t1 STARTTLS\r\nt2 LOGIN alice secret\r\n");
            assertEquals("t1 OK Begin TLS negotiation now", c.read());
            SSLSocket tls = (SSLSocket) TestTls.trustingClient().getSocketFactory()
                    .createSocket(c.socket(), "127.0.0.1", server.port(), true);
            tls.startHandshake();
            c.use(tls);
            List<String> caps = c.command("t3", "CAPABILITY");
            assertTrue(caps.get(0).contains("AUTH=PLAIN") && !caps.get(0).contains("STARTTLS")
                    && !caps.get(0).contains("LOGINDISABLED"), caps.get(0));
            assertTrue(last(c.command("t4", "LOGIN alice secret")).startsWith("t4 OK"));
            assertTrue(last(c.command("t5", "STARTTLS")).startsWith("t5 BAD"));
        }
    }

    @Test
    void implicitTlsListener() throws Exception {
        try (TestServer server = TestServer.start(dir, s -> settings(s, true, false, 1000, 100, 3, 20))) {
            SSLSocket socket = (SSLSocket) TestTls.trustingClient().getSocketFactory()
                    .createSocket("127.0.0.1", server.port());
            try (ImapClient c = new ImapClient(socket)) {
                String greeting = c.read();
                assertTrue(greeting.startsWith("* OK") && !greeting.contains("STARTTLS")
                        && greeting.contains("AUTH=PLAIN"), greeting);
                assertTrue(last(c.command("a1", "LOGIN alice secret")).startsWith("a1 OK"));
            }
        }
    }

    @Test
    void compressDeflate() throws Exception {
        try (TestServer server = TestServer.start(dir); ImapClient c = server.connect()) {
            server.deliver(TestServer.ALICE, "Subject: squeeze\n\n" + "la ".repeat(2000) + "\n");
            c.login();
            assertEquals("z1 OK DEFLATE active", last(c.command("z1", "COMPRESS DEFLATE")));
            c.streams(new InflaterInputStream(c.input(), new Inflater(true)),
                    new DeflaterOutputStream(c.output(), new Deflater(Deflater.DEFAULT_COMPRESSION, true), true));
            List<String> select = c.command("z2", "SELECT INBOX");
            assertTrue(select.contains("* 1 EXISTS"), select.toString());
            List<String> fetch = c.command("z3", "FETCH 1 BODY.PEEK[TEXT]");
            assertTrue(fetch.get(0).contains("la la la"), fetch.get(0));
            assertTrue(last(c.command("z4", "COMPRESS DEFLATE")).startsWith("z4 NO [COMPRESSIONACTIVE]"));
            List<String> caps = c.command("z5", "CAPABILITY");
            assertFalse(caps.get(0).contains("COMPRESS=DEFLATE"), caps.get(0));
        }
    }

    @Test
    void scramSha256RelayedToTheDirectory() throws Exception {
        try (TestServer server = TestServer.start(dir); ImapClient c = server.connect()) {
            assertTrue(c.read().contains("AUTH=SCRAM-SHA-256"));
            assertTrue(scram(c, "s1", "alice", "secret").startsWith("s1 OK [CAPABILITY"));
        }
        try (TestServer server = TestServer.start(dir.resolve("2")); ImapClient c = server.connect()) {
            c.read();
            assertTrue(scram(c, "s2", "alice", "wrong").startsWith("s2 NO [AUTHENTICATIONFAILED]"));
            server.directory.scram = false;
            List<String> caps = c.command("s3", "CAPABILITY");
            assertFalse(caps.get(0).contains("SCRAM"), caps.get(0));
            assertTrue(last(c.command("s4", "AUTHENTICATE SCRAM-SHA-256")).startsWith("s4 NO"));
        }
    }

    /** The client side of SCRAM-SHA-256, with the first message as SASL-IR. */
    private static String scram(ImapClient c, String tag, String user, String password) throws IOException {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String clientNonce = Base64.getEncoder().encodeToString(random);
        String clientFirstBare = "n=" + user + ",r=" + clientNonce;
        c.line(tag + " AUTHENTICATE SCRAM-SHA-256 " + b64("n,," + clientFirstBare));
        String challenge = c.read();
        if (!challenge.startsWith("+ ")) {
            return challenge;
        }
        String serverFirst = new String(Base64.getDecoder().decode(challenge.substring(2)), StandardCharsets.UTF_8);
        String nonce = ScramClientSide.attribute(serverFirst, 'r');
        byte[] salt = Base64.getDecoder().decode(ScramClientSide.attribute(serverFirst, 's'));
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] salted = ScramClientSide.saltedPassword(password, salt,
                Integer.parseInt(ScramClientSide.attribute(serverFirst, 'i')));
        c.line(b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(ScramClientSide.clientProof(salted,
                authMessage))));
        String second = c.read();
        if (!second.startsWith("+ ")) {
            return second;
        }
        String serverFinal = new String(Base64.getDecoder().decode(second.substring(2)), StandardCharsets.UTF_8);
        assertEquals("v=" + Base64.getEncoder().encodeToString(ScramClientSide.serverSignature(salted, authMessage)),
                serverFinal, "the server proves it knows the password");
        c.line("");
        return c.read();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void missingStoreAndDirectoryAnswerUnavailableAndServiceResumes() throws Exception {
        try (TestServer server = TestServer.start(dir); ImapClient c = server.connect()) {
            c.read();
            server.directoryPresent = false;
            assertTrue(last(c.command("m1", "LOGIN alice secret")).startsWith("m1 NO [UNAVAILABLE]"));
            server.directoryPresent = true;
            assertTrue(last(c.command("m2", "LOGIN alice secret")).startsWith("m2 OK"));
            server.storePresent = false;
            assertTrue(last(c.command("m3", "SELECT INBOX")).startsWith("m3 NO [UNAVAILABLE]"));
            assertTrue(last(c.command("m4", "LIST \"\" *")).startsWith("m4 NO [UNAVAILABLE]"));
            assertTrue(last(c.command("m5", "NOOP")).startsWith("m5 OK"));
            server.storePresent = true;
            assertTrue(last(c.command("m6", "SELECT INBOX")).startsWith("m6 OK [READ-WRITE]"));
            server.deliver(TestServer.ALICE, "Subject: before\n\nx\n");
            assertTrue(c.command("m7", "NOOP").contains("* 1 EXISTS"));
            // A new store instance (the bundle was updated): the selected mailbox carries on.
            server.restartStore();
            List<String> fetch = c.command("m8", "FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            assertTrue(last(fetch).startsWith("m8 OK"), fetch.toString());
            server.deliver(TestServer.ALICE, "Subject: after\n\nx\n");
            List<String> noop = c.command("m9", "NOOP");
            assertTrue(noop.contains("* 2 EXISTS"), noop.toString());
        }
    }

    @Test
    void connectionsPerIpAndPerUserAreLimited() throws Exception {
        try (TestServer server = TestServer.start(dir, s -> settings(s, false, true, 2, 1, 3, 20));
                ImapClient one = server.connect(); ImapClient two = server.connect();
                ImapClient three = server.connect()) {
            // The three are accepted on parallel I/O threads: any one of them may be the refused one.
            List<ImapClient> admitted = new java.util.ArrayList<>();
            int refused = 0;
            for (ImapClient client : List.of(one, two, three)) {
                String greeting = client.read();
                if (greeting.startsWith("* BYE [UNAVAILABLE]")) {
                    refused++;
                    assertNull(client.read());
                } else {
                    assertTrue(greeting.startsWith("* OK"), greeting);
                    admitted.add(client);
                }
            }
            assertEquals(1, refused);
            ImapClient a = admitted.get(0);
            ImapClient b = admitted.get(1);
            assertTrue(last(a.command("u1", "LOGIN alice secret")).startsWith("u1 OK"));
            assertTrue(last(b.command("u2", "LOGIN alice secret")).startsWith("u2 NO [LIMIT]"));
            assertTrue(last(b.command("u3", "LOGIN bob hunter2")).startsWith("u3 OK"));
        }
    }

    @Test
    void repeatedLoginFailuresCloseTheConnectionAndLockTheAddressOut() throws Exception {
        try (TestServer server = TestServer.start(dir, s -> settings(s, false, true, 100, 100, 2, 3))) {
            try (ImapClient c = server.connect()) {
                c.read();
                long start = System.nanoTime();
                assertTrue(last(c.command("f1", "LOGIN alice bad")).startsWith("f1 NO [AUTHENTICATIONFAILED]"));
                assertTrue((System.nanoTime() - start) / 1_000_000 >= 50, "a failure is answered after a delay");
                c.line("f2 LOGIN alice bad");
                assertTrue(c.read().startsWith("f2 NO [AUTHENTICATIONFAILED]"));
                assertTrue(c.read().startsWith("* BYE"));
                assertNull(c.read());
            }
            try (ImapClient c = server.connect()) {
                c.read();
                assertTrue(last(c.command("f3", "LOGIN alice bad")).startsWith("f3 NO"));
                // Three failures from this address: even the right password is refused for now.
                assertTrue(last(c.command("f4", "LOGIN alice secret")).startsWith("f4 NO [UNAVAILABLE]"));
            }
            for (String thread : server.directory.threads) {
                assertTrue(thread.contains("worker"), "directory called on " + thread);
            }
        }
    }

    @Test
    void aBusyPortIsReportedDown() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            ListenerSettings s = TestServer.defaults();
            ListenerSettings busy = new ListenerSettings("busy", "127.0.0.1", taken.getLocalPort(), false, true, true,
                    s.maxLineLength(), s.maxLiteralSize(), false, s.loginTimeout(), s.commandTimeout(),
                    s.idleTimeout(), 10, 10, 10, 10, Duration.ZERO, 3, 20, Duration.ofMinutes(1));
            try (ImapListener listener = new ImapListener(busy, new TestServerless(), new SessionRegistry())) {
                assertFalse(listener.start());
                assertFalse(listener.health().up());
                assertTrue(listener.health().detail().contains(Integer.toString(taken.getLocalPort())));
            }
        }
    }

    /** No services at all. */
    private static final class TestServerless implements Services {
        @Override
        public java.util.Optional<org.postbus.api.directory.Directory> directory() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<org.postbus.api.store.MailStore> store() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<org.postbus.api.tls.TlsService> tls() {
            return java.util.Optional.empty();
        }
    }

    static ListenerSettings settings(ListenerSettings s, boolean implicitTls, boolean loopback, int maxPerIp,
            int maxPerUser, int maxAuthFailures, int lockoutFailures) {
        return new ListenerSettings(s.name(), s.host(), s.port(), implicitTls, true, loopback, s.maxLineLength(),
                s.maxLiteralSize(), s.literalMinus(), s.loginTimeout(), s.commandTimeout(), s.idleTimeout(),
                s.maxConnections(), maxPerIp, maxPerUser, s.maxErrors(), s.authFailureDelay(), maxAuthFailures,
                lockoutFailures, s.ipLockout());
    }
}
