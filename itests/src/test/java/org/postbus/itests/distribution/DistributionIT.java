package org.postbus.itests.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The built distribution, run with {@code bin/postbus run} on its embedded defaults and
 * administered with {@code bin/postbus} as a user would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = Server.fresh("distribution");
        server.start();
        server.awaitHealthy(START);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void firstStartPrintsTheAdminPasswordOnceAndKeepsItPrivate() throws IOException {
        Matcher m = Pattern.compile("admin password is (\\S+)").matcher(server.console());
        assertTrue(m.find(), "the first start prints the admin password:\n" + server.console());
        assertEquals(m.group(1), server.adminSecret());
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(server.home.resolve("data/admin.secret"))));
    }

    @Test
    @Order(2)
    void firstStartCreatesTheDomainFromTheEnvironmentAndACertificate() throws Exception {
        Server.Result domains = server.cli("domain", "list");
        assertEquals(0, domains.exit(), domains.toString());
        assertTrue(domains.out().lines().anyMatch("example.test"::equals), domains.toString());
        assertTrue(Files.isRegularFile(server.home.resolve("data/tls/selfsigned.crt")), "self-signed certificate");
    }

    @Test
    @Order(3)
    void healthListsEveryPartAsUp() {
        var health = server.health();
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"status\":\"UP\""), health.body());
        assertTrue(health.body().contains("\"directory\""), health.body());
        assertTrue(health.body().contains("\"tls\""), health.body());
    }

    @Test
    @Order(4)
    void userCommandsWorkAgainstTheRunningServer() throws Exception {
        Server.Result add = server.cli("user", "add", "alice@example.test", "--password", "correct horse");
        assertEquals(0, add.exit(), add.toString());
        assertTrue(add.out().contains("alice@example.test"), add.toString());

        Server.Result fromStdin = server.cliWithInput("battery staple\n", "user", "add", "bob@example.test");
        assertEquals(0, fromStdin.exit(), fromStdin.toString());

        Server.Result list = server.cli("user", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.out().contains("alice@example.test"), list.toString());
        assertTrue(list.out().contains("bob@example.test"), list.toString());

        Server.Result duplicate = server.cli("user", "add", "alice@example.test", "--password", "x");
        assertEquals(1, duplicate.exit(), duplicate.toString());
        assertFalse(duplicate.err().isBlank(), "a refused change says why");

        Server.Result unknownDomain = server.cli("user", "add", "carol@elsewhere.test", "--password", "x");
        assertEquals(1, unknownDomain.exit(), unknownDomain.toString());

        Server.Result disable = server.cli("user", "disable", "bob@example.test");
        assertEquals(0, disable.exit(), disable.toString());
        Server.Result quota = server.cli("user", "quota", "alice@example.test", "500M");
        assertEquals(0, quota.exit(), quota.toString());
        String users = server.cli("user", "list").out();
        assertTrue(users.contains("bob@example.test  (disabled)"), users);
        assertTrue(users.contains("alice@example.test  quota 524288000 bytes"), users);
        assertEquals(2, server.cli("user", "quota", "alice@example.test", "lots").exit(), "a bad size is a usage error");

        Server.Result remove = server.cli("user", "remove", "bob@example.test");
        assertEquals(0, remove.exit(), remove.toString());
        assertFalse(server.cli("user", "list").out().contains("bob@example.test"));
    }

    @Test
    @Order(5)
    void domainAndAliasCommandsWorkAgainstTheRunningServer() throws Exception {
        assertEquals(0, server.cli("domain", "add", "second.test").exit());
        Server.Result alias = server.cli("alias", "add", "team@example.test", "alice@example.test", "someone@remote.test");
        assertEquals(0, alias.exit(), alias.toString());
        Server.Result catchAll = server.cli("alias", "add", "@second.test", "alice@example.test");
        assertEquals(0, catchAll.exit(), catchAll.toString());

        Server.Result list = server.cli("alias", "list");
        assertTrue(list.out().contains("team@example.test -> alice@example.test, someone@remote.test"), list.toString());
        assertTrue(list.out().contains("@second.test -> alice@example.test"), list.toString());

        Server.Result inUse = server.cli("domain", "remove", "second.test");
        assertEquals(1, inUse.exit(), "a domain with aliases is not removed: " + inUse);
        assertEquals(0, server.cli("alias", "remove", "@second.test").exit());
        assertEquals(0, server.cli("domain", "remove", "second.test").exit());
        assertFalse(server.cli("domain", "list").out().contains("second.test"));
    }

    @Test
    @Order(6)
    void theWebConsoleIsForTheAdminOnlyAndListsTheBundles() {
        assertEquals(401, server.get("/system/console/bundles", false).statusCode());
        var bundles = server.get("/system/console/bundles.json", true);
        assertEquals(200, bundles.statusCode(), bundles.body());
        assertTrue(bundles.body().contains("org.postbus.directory"), bundles.body());
        assertTrue(bundles.body().contains("Active"), bundles.body());
    }

    @Test
    @Order(7)
    void theAdminApiRefusesWrongCredentials() {
        assertEquals(401, server.get("/api/v1/users", false).statusCode());
        assertEquals(200, server.get("/api/v1/users", true).statusCode());
    }

    @Test
    @Order(8)
    void aBundleDroppedIntoDeployStartsAndStopsWhenRemoved() throws IOException {
        Path jar = exampleBundle();
        Path deployed = server.home.resolve("deploy").resolve(jar.getFileName());
        Files.copy(jar, deployed, StandardCopyOption.REPLACE_EXISTING);
        Server.await(Duration.ofSeconds(20), () -> server.health().body().contains("example-filter"),
                "the deployed plugin to report in /health");

        Files.delete(deployed);
        Server.await(Duration.ofSeconds(20), () -> !server.health().body().contains("example-filter"),
                "the removed plugin to disappear from /health");
        assertEquals(200, server.health().statusCode());
    }

    @Test
    @Order(9)
    void anEditedConfigurationFileAppliesWhileTheServerRuns() throws IOException {
        Path cfg = server.home.resolve("etc/org.postbus.admin.health.cfg");
        String original = Files.readString(cfg);
        Files.writeString(cfg, "required = directory,tls,http,imaginary\n");
        Server.await(Duration.ofSeconds(20), () -> server.health().statusCode() == 503,
                "/health to require the new part");
        assertTrue(server.health().body().contains("imaginary"));
        Files.writeString(cfg, original);
        Server.await(Duration.ofSeconds(20), () -> server.health().statusCode() == 200,
                "/health to recover");
    }

    @Test
    @Order(10)
    void anUnreadableCertificateIsLoggedWithItsFileAndTlsKeepsWorking() throws IOException {
        Path missing = server.home.resolve("etc/missing-cert.pem");
        Files.writeString(server.home.resolve("etc/org.postbus.tls.cfg"),
                "certificate.file = " + missing + "\nkey.file = " + server.home.resolve("etc/missing-key.pem") + "\n");
        Server.await(Duration.ofSeconds(20), () -> {
            try {
                return server.log().lines().anyMatch(l -> l.contains("ERROR") && l.contains(missing.toString()));
            } catch (IOException e) {
                return false;
            }
        }, "an ERROR line naming " + missing);
        Server.await(Duration.ofSeconds(20), () -> server.health().statusCode() == 200, "TLS to stay up");
        assertTrue(server.alive());
    }

    @Test
    @Order(11)
    void aMalformedConfigurationFileIsLoggedWithItsNameAndTheRestKeepsRunning() throws IOException {
        Path broken = server.home.resolve("etc/org.postbus.example.filter.config");
        Files.writeString(broken, "header.name=I\"this is [not valid\n");
        Server.await(Duration.ofSeconds(20), () -> {
            try {
                return server.log().lines().anyMatch(l -> l.contains(broken.getFileName().toString())
                        && (l.contains("ERROR") || l.contains("WARN")));
            } catch (IOException e) {
                return false;
            }
        }, "a log line naming " + broken.getFileName());
        assertEquals(200, server.health().statusCode());
        Files.delete(broken);
    }

    @Test
    @Order(12)
    void httpsServesTheServersCertificateAndFollowsAConfiguredOne() throws Exception {
        Server.await(Duration.ofSeconds(20), () -> server.httpsCertificate() != null, "HTTPS to answer");
        Path cert = server.home.resolve("etc/mail.pem");
        Path key = server.home.resolve("etc/mail.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30", "-subj", "/CN=mail.example.test",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertEquals(0, openssl.waitFor(), "openssl made a certificate");
        Files.writeString(server.home.resolve("etc/org.postbus.tls.cfg"),
                "certificate.file = " + cert + "\nkey.file = " + key + "\nreload.interval.seconds = 1\n");
        Server.await(Duration.ofSeconds(30), () -> {
            var presented = server.httpsCertificate();
            return presented != null && presented.getSubjectX500Principal().getName().equals("CN=mail.example.test");
        }, "HTTPS to present the configured certificate");
        Server.await(Duration.ofSeconds(10), () -> server.health().body().contains("CN=mail.example.test"),
                "/health to name the configured certificate");
    }

    @Test
    @Order(13)
    void aDovecotMaildirImportsWithItsUidsAndExportsAgain() throws Exception {
        Path maildir = server.home.resolve("import-src");
        for (String folder : new String[] {"", ".Work"}) {
            for (String sub : new String[] {"cur", "new", "tmp"}) {
                Files.createDirectories(maildir.resolve(folder).resolve(sub));
            }
        }
        Files.writeString(maildir.resolve("cur/1700000000.M1P1.host:2,S"), "Subject: first\n\nread\n");
        Files.writeString(maildir.resolve("cur/1700000001.M2P1.host:2,FR"), "Subject: second\n\nflagged\n");
        Files.writeString(maildir.resolve("new/1700000002.M3P1.host"), "Subject: third\n\nnew\n");
        Files.writeString(maildir.resolve("dovecot-uidlist"),
                "3 V1234567 N42 Gabc\n7 :1700000000.M1P1.host\n9 :1700000001.M2P1.host\n41 :1700000002.M3P1.host\n");
        Files.writeString(maildir.resolve(".Work/cur/1700000003.M4P1.host:2,"), "Subject: work\n\nmore\n");
        Files.writeString(maildir.resolve("subscriptions"), "Work\n");

        Server.Result imported = server.cli("import", "--maildir", maildir.toString(), "--user", "alice@example.test");
        assertEquals(0, imported.exit(), imported.toString());

        Path exported = server.home.resolve("export-dst");
        Server.Result export = server.cli("export", "--maildir", exported.toString(), "--user", "alice@example.test");
        assertEquals(0, export.exit(), export.toString());
        String uidlist = Files.readString(exported.resolve("dovecot-uidlist"));
        assertTrue(uidlist.startsWith("3 V1234567 N42"), "UIDVALIDITY and UIDNEXT kept:\n" + uidlist);
        for (String uid : new String[] {"7", "9", "41"}) {
            assertTrue(uidlist.lines().anyMatch(l -> l.startsWith(uid + " ")), "UID " + uid + " kept:\n" + uidlist);
        }
        try (var files = Files.list(exported.resolve("cur"))) {
            var names = files.map(f -> f.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.endsWith(":2,FR")), "flags kept: " + names);
            assertTrue(names.stream().anyMatch(n -> n.endsWith(":2,S")), "flags kept: " + names);
        }
        assertTrue(Files.isDirectory(exported.resolve(".Work/cur")), "the subfolder is exported");

        Server.Result check = server.cli("store", "check", "alice@example.test");
        assertEquals(0, check.exit(), check.toString());
    }

    /** Runs a Python script (smtplib, as a real client) with the server's ports in its environment. */
    private static Server.Result python(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", script);
        pb.environment().putAll(server.env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python did not finish: " + out);
        }
        return new Server.Result(p.exitValue(), out, "");
    }

    @Test
    @Order(14)
    void mailSentWithSmtplibIsStoredForTheRecipient() throws Exception {
        Server.Result sent = python(String.join("\n",
                "import os, smtplib",
                "from email.message import EmailMessage",
                "m = EmailMessage()",
                "m['From'] = 'someone@remote.test'",
                "m['To'] = 'alice@example.test'",
                "m['Subject'] = 'Hello from smtplib'",
                "m.set_content('First mail through Postbus.')",
                "with smtplib.SMTP('127.0.0.1', int(os.environ['POSTBUS_SMTP_PORT'])) as s:",
                "    code, caps = s.ehlo('client.remote.test')",
                "    print('EHLO', code, caps.decode())",
                "    print('SENT', s.send_message(m))",
                "    print('TEAM', s.sendmail('someone@remote.test', ['team@example.test'], 'Subject: team\\r\\n\\r\\nx\\r\\n'))",
                "    try:",
                "        s.sendmail('someone@remote.test', ['nobody@example.test'], 'Subject: x\\r\\n\\r\\nx\\r\\n')",
                "    except smtplib.SMTPRecipientsRefused as e:",
                "        print('UNKNOWN', e.recipients['nobody@example.test'][0])",
                "    try:",
                "        s.sendmail('someone@remote.test', ['victim@elsewhere.test'], 'Subject: x\\r\\n\\r\\nx\\r\\n')",
                "    except smtplib.SMTPRecipientsRefused as e:",
                "        print('RELAY', e.recipients['victim@elsewhere.test'][0])"));
        assertEquals(0, sent.exit(), sent.out());
        assertTrue(sent.out().contains("SENT {}"), "accepted for every recipient: " + sent.out());
        assertTrue(sent.out().contains("UNKNOWN 550"), "unknown local user refused at RCPT: " + sent.out());
        assertTrue(sent.out().contains("RELAY 554"), "no open relay: " + sent.out());
        // team@ also forwards to a remote address: that copy goes to the outbound queue (here
        // remote.test does not resolve, so the queue gives up on it at once: it is not a real
        // domain, and the bounce to a sender there cannot go anywhere either).
        assertTrue(sent.out().contains("TEAM {}"), "the alias with a remote target is accepted: " + sent.out());
        Server.Result queued = server.cli("queue", "list");
        assertEquals(0, queued.exit(), queued.toString());
        assertEquals(1, server.cli("queue", "delete", "no-such-id").exit(), "deleting an unknown id is an error");
        Path mbox = server.home.resolve("smtp-export");
        Server.Result export = server.cli("export", "--mbox", mbox.toString(), "--user", "alice@example.test");
        assertEquals(0, export.exit(), export.toString());
        String inbox = Files.readString(mbox.resolve("INBOX.mbox"));
        assertTrue(inbox.contains("Subject: Hello from smtplib"), inbox);
        assertTrue(inbox.contains("Return-Path: <someone@remote.test>"), inbox);
        assertTrue(inbox.contains("Received: from client.remote.test"), inbox);
    }

    @Test
    @Order(15)
    void submissionNeedsTlsAndAuthenticationAndDelivers() throws Exception {
        Server.Result sent = python(String.join("\n",
                "import os, smtplib, ssl",
                "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE",
                "port = int(os.environ['POSTBUS_SUBMISSION_PORT'])",
                "with smtplib.SMTP('127.0.0.1', port) as s:",
                "    try:",
                "        s.sendmail('alice@example.test', ['alice@example.test'], 'Subject: x\\r\\n\\r\\nx\\r\\n')",
                "    except smtplib.SMTPException as e:",
                "        print('NOAUTH', e)",
                "with smtplib.SMTP('127.0.0.1', port) as s:",
                "    s.starttls(context=ctx)",
                "    try:",
                "        s.login('alice@example.test', 'wrong')",
                "    except smtplib.SMTPAuthenticationError as e:",
                "        print('BADPW', e.smtp_code)",
                "with smtplib.SMTP('127.0.0.1', port) as s:",
                "    s.starttls(context=ctx)",
                "    s.login('alice@example.test', 'correct horse')",
                "    print('SUBMITTED', s.sendmail('alice@example.test', ['alice@example.test'], 'Subject: submitted\\r\\n\\r\\nvia submission\\r\\n'))",
                "with smtplib.SMTP_SSL('127.0.0.1', int(os.environ['POSTBUS_SMTPS_PORT']), context=ctx) as s:",
                "    s.login('alice@example.test', 'correct horse')",
                "    print('IMPLICIT', s.sendmail('alice@example.test', ['alice@example.test'], 'Subject: implicit\\r\\n\\r\\nvia smtps\\r\\n'))"));
        assertEquals(0, sent.exit(), sent.out());
        assertTrue(sent.out().contains("NOAUTH"), "submission refuses mail without AUTH: " + sent.out());
        assertTrue(sent.out().contains("BADPW 535"), "a wrong password gets 535: " + sent.out());
        assertTrue(sent.out().contains("SUBMITTED {}"), sent.out());
        assertTrue(sent.out().contains("IMPLICIT {}"), sent.out());
        Path mbox = server.home.resolve("submission-export");
        assertEquals(0, server.cli("export", "--mbox", mbox.toString(), "--user", "alice@example.test").exit());
        String inbox = Files.readString(mbox.resolve("INBOX.mbox"));
        assertTrue(inbox.contains("Subject: submitted"), inbox);
        assertTrue(inbox.contains("Subject: implicit"), inbox);
    }

    @Test
    @Order(20)
    void changesSurviveKill9AndTheServerStartsAgain() throws Exception {
        assertEquals(0, server.cli("user", "add", "durable@example.test", "--password", "pw").exit());
        server.kill9();
        assertFalse(server.alive());
        assertEquals(3, server.cli("status").exit(), "status says not running");

        server.start();
        server.awaitHealthy(START);
        Server.Result list = server.cli("user", "list");
        assertTrue(list.out().contains("durable@example.test"), list.toString());
        assertTrue(list.out().contains("alice@example.test"), list.toString());
        assertFalse(server.console().lines().filter(l -> l.contains("admin password is")).count() > 1,
                "the admin password is printed on the first start only");
    }

    static Path exampleBundle() throws IOException {
        Path dist = Path.of(System.getProperty("postbus.dist", "../distribution/target/postbus")).toAbsolutePath();
        Path target = dist.resolve("../../../bundles/org.postbus.example.filter/target").normalize();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "org.postbus.example.filter-*.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new IllegalStateException("the example plugin is not built in " + target);
    }
}
