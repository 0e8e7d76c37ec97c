package org.postbus.itests.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Reading mail from the running distribution with the clients people use: Python's imaplib and
 * poplib, curl, mbsync (isync) and fetchmail, over STARTTLS/STLS and implicit TLS.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailAccessIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final String USER = "bob@example.test";
    private static final String PASSWORD = "s3cret pass";
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = Server.fresh("mail-access");
        server.start();
        server.awaitHealthy(START);
        Server.Result add = server.cli("user", "add", USER, "--password", PASSWORD);
        assertEquals(0, add.exit(), add.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static Path certificate() {
        return server.home.resolve("data/tls/selfsigned.crt");
    }

    /** Runs a program to completion with the server's ports in its environment. */
    private static Server.Result run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(server.env);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Server.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), "");
    }

    private static Server.Result python(String... lines) throws Exception {
        List<String> script = new ArrayList<>(List.of(
                "import os, ssl, imaplib, poplib, smtplib",
                "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE",
                "IMAP = int(os.environ['POSTBUS_IMAP_PORT']); IMAPS = int(os.environ['POSTBUS_IMAPS_PORT'])",
                "POP3 = int(os.environ['POSTBUS_POP3_PORT']); POP3S = int(os.environ['POSTBUS_POP3S_PORT'])",
                "USER = '" + USER + "'; PW = '" + PASSWORD + "'"));
        script.addAll(List.of(lines));
        return run(Map.of(), "python3", "-c", String.join("\n", script));
    }

    /** Sends one message to bob through the MTA port, as another server would. */
    private static void deliver(String subject, String body) throws Exception {
        Server.Result sent = python(
                "with smtplib.SMTP('127.0.0.1', int(os.environ['POSTBUS_SMTP_PORT'])) as s:",
                "    print('SENT', s.sendmail('carol@remote.test', [USER], 'From: carol@remote.test\\r\\nTo: " + USER
                        + "\\r\\nSubject: " + subject + "\\r\\n\\r\\n" + body + "\\r\\n'))");
        assertTrue(sent.out().contains("SENT {}"), sent.out());
    }

    @Test
    @Order(1)
    void healthListsTheImapAndPop3Listeners() {
        var health = server.health();
        assertEquals(200, health.statusCode(), health.body());
        for (String name : List.of("imap-imap", "imap-imaps", "pop3-pop3", "pop3-pop3s")) {
            assertTrue(health.body().contains("\"" + name + "\""), name + " in " + health.body());
        }
    }

    @Test
    @Order(2)
    void mailDeliveredBySmtpIsReadWithImaplibOverStarttlsAndImplicitTls() throws Exception {
        deliver("First over IMAP", "Hello Bob.");
        Server.Result read = python(
                "m = imaplib.IMAP4('127.0.0.1', IMAP)",
                "print('CAPS', ' '.join(m.capabilities))",
                "m.starttls(ssl_context=ctx)",
                "print('LOGIN', m.login(USER, PW)[0])",
                "typ, data = m.select('INBOX')",
                "print('EXISTS', data[0].decode())",
                "typ, data = m.uid('FETCH', '1:*', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)] FLAGS)')",
                "print('FETCH', data[0][1].decode().strip())",
                "m.logout()",
                "s = imaplib.IMAP4_SSL('127.0.0.1', IMAPS, ssl_context=ctx)",
                "s.login(USER, PW)",
                "s.select('INBOX', readonly=True)",
                "typ, data = s.fetch('1', '(BODY.PEEK[TEXT])')",
                "print('TEXT', data[0][1].decode().strip())",
                "s.logout()");
        assertEquals(0, read.exit(), read.out());
        assertTrue(read.out().contains("STARTTLS"), read.out());
        assertTrue(read.out().contains("IMAP4REV2"), read.out());
        assertTrue(read.out().contains("LOGIN OK"), read.out());
        assertTrue(read.out().contains("EXISTS 1"), read.out());
        assertTrue(read.out().contains("FETCH Subject: First over IMAP"), read.out());
        assertTrue(read.out().contains("TEXT Hello Bob."), read.out());
    }

    @Test
    @Order(3)
    void curlReadsAMessageAndSearchesOverImap() throws Exception {
        String login = USER + ":" + PASSWORD;
        Server.Result fetched = run(Map.of(), "curl", "-sS", "--ssl-reqd", "--cacert", certificate().toString(),
                "-u", login, "imap://127.0.0.1:" + server.imapPort + "/INBOX;UID=1");
        assertEquals(0, fetched.exit(), fetched.out());
        assertTrue(fetched.out().contains("Subject: First over IMAP"), fetched.out());
        Server.Result searched = run(Map.of(), "curl", "-sS", "-k", "-u", login,
                "imaps://127.0.0.1:" + server.imapsPort + "/INBOX", "-X", "UID SEARCH SUBJECT \"over IMAP\"");
        assertEquals(0, searched.exit(), searched.out());
        assertTrue(searched.out().contains("* SEARCH 1"), searched.out());
        Server.Result listed = run(Map.of(), "curl", "-sS", "-k", "-u", login, "imaps://127.0.0.1:" + server.imapsPort + "/");
        assertEquals(0, listed.exit(), listed.out());
        assertTrue(listed.out().contains("INBOX"), listed.out());
    }

    @Test
    @Order(4)
    void anIdleClientHearsOfNewMailWithinASecond() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.imapPort)) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            assertTrue(in.readLine().startsWith("* OK"));
            command(in, out, "a1 LOGIN \"" + USER + "\" \"" + PASSWORD + "\"", "a1 OK");
            command(in, out, "a2 SELECT INBOX", "a2 OK");
            out.write("a3 IDLE\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(in.readLine().startsWith("+"), "IDLE continuation");
            long sent = System.nanoTime();
            deliver("While idling", "Wake up.");
            long delivered = System.nanoTime();
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.matches("\\* \\d+ EXISTS"));
            long heard = System.nanoTime();
            assertTrue(line != null, "EXISTS while idling");
            long afterDelivery = TimeUnit.NANOSECONDS.toMillis(heard - delivered);
            assertTrue(afterDelivery < 1000, "heard " + afterDelivery + " ms after the 250 (sent at +"
                    + TimeUnit.NANOSECONDS.toMillis(delivered - sent) + " ms)");
            out.write("DONE\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readUntil(in, "a3 OK");
            command(in, out, "a4 LOGOUT", "a4 OK");
        }
    }

    private static void command(BufferedReader in, OutputStream out, String command, String expectedTagged) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        readUntil(in, expectedTagged);
    }

    private static void readUntil(BufferedReader in, String tagged) throws IOException {
        String tag = tagged.substring(0, tagged.indexOf(' ') + 1);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith(tag)) {
                assertTrue(line.startsWith(tagged), "expected " + tagged + " but got " + line);
                return;
            }
        }
        throw new AssertionError("connection closed before " + tagged);
    }

    private static Path mbsyncConfig(Path local) throws IOException {
        Path rc = server.home.resolve("mbsyncrc");
        Files.createDirectories(local);
        Files.writeString(rc, String.join("\n",
                "IMAPAccount postbus",
                "Host 127.0.0.1",
                "Port " + server.imapPort,
                "User " + USER,
                "Pass \"" + PASSWORD + "\"",
                "SSLType STARTTLS",
                "CertificateFile " + certificate(),
                "",
                "IMAPStore remote",
                "Account postbus",
                "",
                "MaildirStore local",
                "Path " + local + "/",
                "Inbox " + local + "/INBOX",
                "SubFolders Verbatim",
                "",
                "Channel sync",
                "Far :remote:",
                "Near :local:",
                "Patterns *",
                "Create Both",
                "Expunge Both",
                "SyncState *",
                ""));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        return rc;
    }

    private static Server.Result mbsync(Path rc) throws Exception {
        return run(Map.of("HOME", server.home.toString()), "mbsync", "-c", rc.toString(), "-a");
    }

    private static List<Path> messages(Path maildir) throws IOException {
        List<Path> found = new ArrayList<>();
        for (String sub : List.of("cur", "new")) {
            Path dir = maildir.resolve(sub);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.forEach(found::add);
                }
            }
        }
        return found;
    }

    @Test
    @Order(5)
    void mbsyncSyncsAMailboxBothWays() throws Exception {
        Path local = server.home.resolve("mbsync-local");
        Path rc = mbsyncConfig(local);
        Server.Result first = mbsync(rc);
        assertEquals(0, first.exit(), first.out());
        List<Path> inbox = messages(local.resolve("INBOX"));
        assertEquals(2, inbox.size(), "both delivered messages pulled: " + inbox + "\n" + first.out());

        // A message written locally, in a new local folder, goes up with APPEND and CREATE.
        Path drafts = local.resolve("Notes");
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(drafts.resolve(sub));
        }
        Files.writeString(drafts.resolve("new/1700000000.1.local"),
                "From: bob@example.test\r\nSubject: written offline\r\n\r\nsynced up by mbsync\r\n");
        // ... and a local flag change (seen + deleted) goes up as STORE, then EXPUNGE.
        Path one = inbox.stream().filter(p -> p.toString().contains("/cur/") || p.toString().contains("/new/"))
                .findFirst().orElseThrow();
        Path flagged = one.getParent().getParent().resolve("cur")
                .resolve(one.getFileName().toString().replaceAll(":2,.*$", "") + ":2,ST");
        Files.move(one, flagged);
        Server.Result second = mbsync(rc);
        assertEquals(0, second.exit(), second.out());

        Server.Result seen = python(
                "m = imaplib.IMAP4('127.0.0.1', IMAP); m.starttls(ssl_context=ctx); m.login(USER, PW)",
                "typ, data = m.select('Notes')",
                "print('NOTES', typ, data[0].decode())",
                "typ, data = m.fetch('1', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')",
                "print('NOTE', data[0][1].decode().strip())",
                "typ, data = m.select('INBOX')",
                "print('INBOX', data[0].decode())",
                "m.logout()");
        assertEquals(0, seen.exit(), seen.out());
        assertTrue(seen.out().contains("NOTES OK 1"), seen.out());
        assertTrue(seen.out().contains("NOTE Subject: written offline"), seen.out());
        assertTrue(seen.out().contains("INBOX 1"), "the message deleted locally was expunged on the server: " + seen.out());

        // A message delivered meanwhile comes down on the next run.
        deliver("Third", "pulled by the third sync");
        Server.Result third = mbsync(rc);
        assertEquals(0, third.exit(), third.out());
        assertEquals(2, messages(local.resolve("INBOX")).size(), third.out());
    }

    @Test
    @Order(6)
    void poplibListsAndReadsTheInboxOverStlsAndPop3s() throws Exception {
        Server.Result read = python(
                "p = poplib.POP3('127.0.0.1', POP3)",
                "print('CAPA', p.capa())",
                "p.stls(context=ctx)",
                "p.user(USER); print('PASS', p.pass_(PW))",
                "count, size = p.stat(); print('STAT', count)",
                "print('UIDL', p.uidl()[1])",
                "print('TOP', b'\\n'.join(p.top(1, 0)[1]).decode())",
                "p.quit()",
                "s = poplib.POP3_SSL('127.0.0.1', POP3S, context=ctx)",
                "s.user(USER); s.pass_(PW)",
                "print('UIDL2', s.uidl()[1])",
                "s.quit()");
        assertEquals(0, read.exit(), read.out());
        assertTrue(read.out().contains("STLS"), read.out());
        assertTrue(read.out().contains("STAT 2"), read.out());
        String uidl = read.out().lines().filter(l -> l.startsWith("UIDL ")).findFirst().orElseThrow().substring(5);
        String uidl2 = read.out().lines().filter(l -> l.startsWith("UIDL2 ")).findFirst().orElseThrow().substring(6);
        assertEquals(uidl, uidl2, "UIDLs are stable across sessions");
    }

    @Test
    @Order(7)
    void fetchmailRetrievesAndDeletesAndImapSeesTheInboxEmpty() throws Exception {
        Path out = server.home.resolve("fetched.mbox");
        Path rc = server.home.resolve("fetchmailrc");
        Files.writeString(rc, String.join("\n",
                "set no syslog",
                "poll 127.0.0.1 service " + server.pop3Port + " protocol pop3 auth password",
                "  user \"" + USER + "\" there with password \"" + PASSWORD + "\" is root here",
                "  sslproto tls1.2+ sslcertck sslcommonname localhost sslcertfile \"" + certificate() + "\"",
                "  nokeep fetchall",
                "  mda \"/bin/sh -c 'cat >> " + out + "'\"",
                ""));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        Server.Result fetched = run(Map.of("HOME", server.home.toString()),
                "fetchmail", "-f", rc.toString(), "-v", "--nosyslog");
        assertEquals(0, fetched.exit(), fetched.out());
        String mbox = Files.readString(out);
        assertTrue(mbox.contains("Subject: Third"), mbox);
        assertTrue(fetched.out().contains("STLS"), "fetchmail upgraded with STLS: " + fetched.out());

        Server.Result after = python(
                "m = imaplib.IMAP4_SSL('127.0.0.1', IMAPS, ssl_context=ctx); m.login(USER, PW)",
                "typ, data = m.select('INBOX')",
                "print('INBOX', data[0].decode())",
                "m.logout()");
        assertTrue(after.out().contains("INBOX 0"), "POP3 deletions are seen over IMAP: " + after.out());
    }
}
