package org.postbus.admin.internal.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.postbus.admin.internal.ApiServlet;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Directory;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MailStore;

/** The migration routes of the admin API, over HTTP, as {@code bin/postbus} calls them. */
class MigrationRoutesTest {

    private static final MailAddress ALICE = MailAddress.parse("alice@example.org");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final MemoryMailStore store = new MemoryMailStore();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServlet servlet;
    private Server server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("admin.secret"), "s3cret\n");
        servlet = new ApiServlet();
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class},
                (p, m, a) -> m.getName().equals("getProperty") && "postbus.data".equals(a[0]) ? data.toString() : null);
        Method activate = ApiServlet.class.getDeclaredMethod("activate", BundleContext.class);
        activate.setAccessible(true);
        activate.invoke(servlet, context);
        inject("directory", directory());
        inject("store", store);

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler handler = new ServletContextHandler();
        handler.addServlet(new ServletHolder(servlet), "/api/v1/*");
        server.setHandler(handler);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/api/v1";
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private void inject(String field, Object value) throws ReflectiveOperationException {
        Field f = ApiServlet.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(servlet, value);
    }

    /** A directory with one account, alice. */
    private static Directory directory() {
        return (Directory) Proxy.newProxyInstance(MigrationRoutesTest.class.getClassLoader(), new Class<?>[] {Directory.class},
                (p, m, a) -> {
                    if (m.getName().equals("account")) {
                        return ALICE.equals(a[0]) ? Optional.of(new Account(ALICE, -1, true, Instant.EPOCH)) : Optional.empty();
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private record Answer(int status, JsonNode body, String raw) {
    }

    private Answer post(String path, Map<String, Object> body) throws Exception {
        String auth = Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertFalse(response.body().contains("\tat ") || response.body().contains("Exception"), response.body());
        return new Answer(response.statusCode(), JSON.readTree(response.body()), response.body());
    }

    private Path maildir() throws Exception {
        MaildirFixture m = new MaildirFixture(tmp.resolve("Maildir"));
        m.message(m.root, "cur", "1700000000.A.mail:2,S", MaildirFixture.mail("a", "a\n"), Instant.parse("2023-11-14T22:13:20Z"));
        m.file(m.root, "dovecot-uidlist", "3 V42 N8\n7 :1700000000.A.mail\n");
        m.folder(".Sent");
        return m.root;
    }

    @Test
    void importingAMaildirAnswersWithTheReport() throws Exception {
        Answer a = post("/import", Map.of("user", "alice@example.org", "maildir", maildir().toString()));

        assertEquals(200, a.status(), a.raw());
        assertEquals("alice@example.org", a.body().get("user").asText());
        assertEquals(1, a.body().get("messages").asInt());
        JsonNode inbox = a.body().get("mailboxes").get(0);
        assertEquals("INBOX", inbox.get("name").asText());
        assertTrue(inbox.get("uidsKept").asBoolean());
        assertEquals(42, inbox.get("uidValidity").asLong());
        assertEquals(2, a.body().get("mailboxes").size());
        assertTrue(a.body().get("skipped").isArray());
        assertEquals(Optional.of(7L), store.box(ALICE, "INBOX").messages.keySet().stream().findFirst());
    }

    @Test
    void importingAnMboxIntoANamedMailbox() throws Exception {
        Path mbox = Files.writeString(tmp.resolve("old.mbox"), "From a@b Thu Jan  4 09:15:00 2024\nSubject: x\n\nx\n");

        Answer a = post("/import", Map.of("user", "alice@example.org", "mbox", mbox.toString(), "mailbox", "Old"));

        assertEquals(200, a.status(), a.raw());
        assertEquals("Old", a.body().get("mailboxes").get(0).get("name").asText());
        assertEquals(1, store.box(ALICE, "Old").messages.size());
    }

    @Test
    void badRequestsAreRefusedWithAReason() throws Exception {
        String dir = maildir().toString();
        assertError(post("/import", Map.of("user", "bob@example.org", "maildir", dir)), 400, "no account bob@example.org");
        assertError(post("/import", Map.of("user", "alice@example.org", "maildir", "Maildir")), 400, "must be an absolute path");
        assertError(post("/import", Map.of("user", "alice@example.org")), 400, "either \"maildir\"");
        assertError(post("/import", Map.of("user", "alice@example.org", "maildir", dir, "mbox", dir)), 400, "either \"maildir\"");
        assertError(post("/import", Map.of("user", "alice@example.org", "maildir", tmp.toString())), 400, "not a Maildir");
        assertError(post("/import", Map.of("user", "alice@example.org", "mbox", dir)), 400, "is not a file");
        assertError(post("/export", Map.of("user", "nobody@example.org", "maildir", tmp.resolve("e").toString())), 400,
                "no account nobody@example.org and no mail stored");
        assertError(post("/export", Map.of("user", "alice@example.org", "maildir", dir)), 400, "is not empty");
        assertError(post("/store/check", Map.of("user", "alice@example.org", "repair", "yes")), 400, "\"repair\" must be");
        assertError(post("/store/fix", Map.of("user", "alice@example.org")), 404, "no such API");
        assertTrue(store.users().isEmpty(), "nothing imported");
    }

    @Test
    void withoutAStoreTheRoutesAnswer503() throws Exception {
        inject("store", null);
        assertError(post("/import", Map.of("user", "alice@example.org", "maildir", maildir().toString())), 503,
                "the mail store is not running");
        assertError(post("/store/check", Map.of("user", "alice@example.org")), 503, "the mail store is not running");
    }

    @Test
    void aStoreThatLacksTheMigrationMethodsAnswers503() throws Exception {
        inject("store", Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MailStore.class}, (p, m, a) -> {
            if (m.getName().equals("importMailbox")) {
                throw new AbstractMethodError("importMailbox");
            }
            try {
                return m.invoke(store, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));

        assertError(post("/import", Map.of("user", "alice@example.org", "maildir", maildir().toString())), 503,
                "does not support this yet");
    }

    @Test
    void aStoppedImportAnswersWithWhatWasDone() throws Exception {
        store.messageLimit = 0;

        Answer a = post("/import", Map.of("user", "alice@example.org", "maildir", maildir().toString()));

        assertError(a, 400, "over quota");
        assertEquals(0, a.body().get("partial").get("messages").asInt());
    }

    @Test
    void exportAndCheck() throws Exception {
        post("/import", Map.of("user", "alice@example.org", "maildir", maildir().toString()));

        Answer export = post("/export", Map.of("user", "alice@example.org", "maildir", tmp.resolve("out").toString()));
        assertEquals(200, export.status(), export.raw());
        assertEquals(1, export.body().get("messages").asInt());
        assertTrue(Files.readString(tmp.resolve("out/dovecot-uidlist")).startsWith("3 V42 N8\n7 :"));

        Answer mbox = post("/export", Map.of("user", "alice@example.org", "mbox", tmp.resolve("mbox").toString(), "mailbox", "INBOX"));
        assertEquals(200, mbox.status(), mbox.raw());
        assertTrue(Files.isRegularFile(tmp.resolve("mbox/INBOX.mbox")));

        Answer check = post("/store/check", Map.of("user", "alice@example.org"));
        assertEquals(200, check.status(), check.raw());
        assertTrue(check.body().get("clean").asBoolean());
        assertEquals(2, check.body().get("mailboxes").asInt());

        store.problems = List.of("INBOX: message count 2, index says 1");
        check = post("/store/check", Map.of("user", "alice@example.org", "repair", true));
        assertFalse(check.body().get("clean").asBoolean());
        assertTrue(check.body().get("repaired").asBoolean());
        assertEquals("INBOX: message count 2, index says 1", check.body().get("problems").get(0).asText());
    }

    private static void assertError(Answer a, int status, String text) {
        assertEquals(status, a.status(), a.raw());
        assertTrue(a.body().get("error").asText().contains(text), a.raw());
    }
}
