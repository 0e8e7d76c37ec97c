package org.postbus.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.postbus.admin.internal.migrate.MaildirExporter;
import org.postbus.admin.internal.migrate.MaildirImporter;
import org.postbus.admin.internal.migrate.MboxExporter;
import org.postbus.admin.internal.migrate.MboxImporter;
import org.postbus.admin.internal.migrate.MigrationException;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Alias;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.DirectoryException;
import org.postbus.api.directory.Domain;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.CheckReport;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST administration API under {@code /api/v1}: domains, users and aliases, for
 * {@code bin/postbus} and for scripts. Every request needs the admin's credentials (HTTP Basic,
 * user {@code admin}, the password in {@code data/admin.secret}).
 *
 * <pre>
 * GET    /api/v1/domains                 POST /api/v1/domains {"name"}          DELETE /api/v1/domains/{name}
 * GET    /api/v1/users                   POST /api/v1/users {"address","password"}
 * PUT    /api/v1/users/{address}/password {"password"}                          DELETE /api/v1/users/{address}
 * PUT    /api/v1/users/{address} {"enabled": true|false, "quotaBytes": n|-1}
 * GET    /api/v1/aliases                 POST /api/v1/aliases {"source","targets":[..]}  DELETE /api/v1/aliases/{source}
 * POST   /api/v1/import {"user", "maildir": dir} | {"user", "mbox": file, "mailbox"?}
 * POST   /api/v1/export {"user", "maildir": dir} | {"user", "mbox": dir, "mailbox"?}
 * POST   /api/v1/store/check {"user", "repair"?: bool}
 * </pre>
 *
 * <p>Import and export read and write paths on the server, as {@code doveadm} does; they answer
 * when done, with a report of what was imported or written.
 */
@Component(
        service = Servlet.class,
        property = {
            "osgi.http.whiteboard.servlet.pattern=/api/v1/*",
            "osgi.http.whiteboard.servlet.name=postbus-admin-api"
        })
public class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final int MAX_BODY = 64 * 1024;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Directory directory;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile org.postbus.api.queue.OutboundQueue queue;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile MailStore store;

    private transient AdminAuthenticator authenticator;

    @Activate
    void activate(BundleContext context) {
        String data = context.getProperty("postbus.data");
        Path secret = Path.of(data == null ? "data" : data).resolve("admin.secret");
        authenticator = new AdminAuthenticator(secret, Clock.systemUTC());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (authenticator.check(request.getHeader("Authorization"), request.getRemoteAddr())) {
            case LOCKED -> {
                Json.error(response, 429, "too many failed logins from " + request.getRemoteAddr() + "; try again later");
                return;
            }
            case DENIED -> {
                response.setHeader("WWW-Authenticate", "Basic realm=\"Postbus administration\", charset=\"UTF-8\"");
                Json.error(response, 401, "admin credentials required");
                return;
            }
            default -> { }
        }
        Directory dir = directory;
        if (dir == null) {
            Json.error(response, 503, "the directory service is not running");
            return;
        }
        List<String> path = segments(request.getPathInfo());
        String method = request.getMethod();
        try {
            route(dir, method, path, request, response);
        } catch (DirectoryException e) {
            Json.error(response, 400, e.getMessage());
        } catch (StoreException e) {
            Json.error(response, e.reason() == StoreException.Reason.UNAVAILABLE ? 503 : 400, e.getMessage());
        } catch (MigrationException e) {
            migrationFailed(response, e);
        } catch (IncompatibleClassChangeError e) {
            // a store bundle built against an older API lacks the migration methods
            LOG.warn("Admin API {} {}: the running mail store lacks a method: {}", method, request.getPathInfo(), e.toString());
            Json.error(response, 503, "the running mail store does not support this yet; update the store bundle");
        } catch (IllegalArgumentException e) {
            Json.error(response, 400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Admin API {} {} failed", method, request.getPathInfo(), e);
            Json.error(response, 500, "internal error; see the server log");
        }
    }

    private void route(Directory dir, String method, List<String> path, HttpServletRequest request,
            HttpServletResponse response) throws IOException, DirectoryException, StoreException, MigrationException {
        String collection = path.isEmpty() ? "" : path.get(0);
        String key = path.size() > 1 ? path.get(1) : null;
        switch (method + " " + collection + (key == null ? "" : "/*") + (path.size() > 2 ? "/" + path.get(2) : "")) {
            case "GET domains" -> Json.write(response, 200, dir.domains().stream().map(ApiServlet::domain).toList());
            case "POST domains" -> Json.write(response, 201, domain(dir.addDomain(text(body(request), "name"))));
            case "DELETE domains/*" -> removed(response, dir.removeDomain(key), "domain", key);
            case "GET users" -> Json.write(response, 200, dir.accounts().stream().map(ApiServlet::account).toList());
            case "GET users/*" -> {
                var account = dir.account(MailAddress.parse(key));
                if (account.isPresent()) {
                    Json.write(response, 200, account(account.get()));
                } else {
                    Json.error(response, 404, "no user " + key);
                }
            }
            case "POST users" -> {
                JsonNode body = body(request);
                Account a = dir.addAccount(MailAddress.parse(text(body, "address")), text(body, "password").toCharArray());
                Json.write(response, 201, account(a));
            }
            case "PUT users/*" -> {
                JsonNode body = body(request);
                MailAddress address = MailAddress.parse(key);
                Account account = dir.account(address).orElse(null);
                if (account == null) {
                    Json.error(response, 404, "no user " + key);
                    return;
                }
                if (body.has("enabled")) {
                    if (!body.get("enabled").isBoolean()) {
                        throw new IllegalArgumentException("\"enabled\" must be true or false");
                    }
                    account = dir.setEnabled(address, body.get("enabled").asBoolean());
                }
                if (body.has("quotaBytes")) {
                    if (!body.get("quotaBytes").isIntegralNumber()) {
                        throw new IllegalArgumentException("\"quotaBytes\" must be a number of bytes, or -1 for none");
                    }
                    account = dir.setQuota(address, body.get("quotaBytes").asLong());
                }
                Json.write(response, 200, account(account));
            }
            case "PUT users/*/password" -> {
                dir.setPassword(MailAddress.parse(key), text(body(request), "password").toCharArray());
                Json.write(response, 200, Map.of("address", key, "changed", true));
            }
            case "DELETE users/*" -> removed(response, dir.removeAccount(MailAddress.parse(key)), "user", key);
            case "GET aliases" -> Json.write(response, 200, dir.aliases().stream().map(ApiServlet::alias).toList());
            case "POST aliases" -> {
                JsonNode body = body(request);
                JsonNode targets = body.get("targets");
                if (targets == null || !targets.isArray() || targets.isEmpty()) {
                    throw new IllegalArgumentException("\"targets\" must be a non-empty list of addresses");
                }
                List<MailAddress> list = new ArrayList<>();
                targets.forEach(t -> list.add(MailAddress.parse(t.asText())));
                Json.write(response, 201, alias(dir.putAlias(text(body, "source"), list)));
            }
            case "DELETE aliases/*" -> removed(response, dir.removeAlias(key), "alias", key);
            case "GET queue", "GET queue/*", "POST queue/*/retry", "DELETE queue/*" -> queue(method, key, response);
            case "POST import" -> importMail(dir, body(request), response);
            case "POST export" -> exportMail(dir, body(request), response);
            case "POST store/*" -> {
                if (!key.equals("check")) {
                    Json.error(response, 404, "no such API: " + method + " /api/v1/" + String.join("/", path));
                    return;
                }
                checkStore(dir, body(request), response);
            }
            default -> Json.error(response, 404, "no such API: " + method + " /api/v1/" + String.join("/", path));
        }
    }

    /** Imports a Maildir or an mbox file into an existing account. */
    private void importMail(Directory dir, JsonNode body, HttpServletResponse response)
            throws IOException, MigrationException, StoreException {
        MailStore mailStore = store;
        if (mailStore == null) {
            Json.error(response, 503, "the mail store is not running");
            return;
        }
        MailAddress user = MailAddress.parse(text(body, "user"));
        if (dir.account(user).isEmpty()) {
            throw new IllegalArgumentException("no account " + user + "; mail is imported only into an existing account"
                    + " (add it first: bin/postbus user add " + user + ")");
        }
        if (body.has("maildir") == body.has("mbox")) {
            throw new IllegalArgumentException("give either \"maildir\": a directory or \"mbox\": a file");
        }
        Object report = body.has("maildir")
                ? new MaildirImporter(mailStore).importMaildir(user, serverPath(body, "maildir"))
                : new MboxImporter(mailStore).importMbox(user, serverPath(body, "mbox"), optionalText(body, "mailbox"));
        Json.write(response, 200, report);
    }

    /** Exports a user's store as a Maildir or as mbox files. */
    private void exportMail(Directory dir, JsonNode body, HttpServletResponse response)
            throws IOException, MigrationException, StoreException {
        MailStore mailStore = store;
        if (mailStore == null) {
            Json.error(response, 503, "the mail store is not running");
            return;
        }
        MailAddress user = storeUser(dir, mailStore, body);
        if (body.has("maildir") == body.has("mbox")) {
            throw new IllegalArgumentException("give either \"maildir\": a directory or \"mbox\": a directory");
        }
        if (body.has("maildir") && body.has("mailbox")) {
            throw new IllegalArgumentException("\"mailbox\" goes with \"mbox\"; a Maildir export takes every mailbox");
        }
        Object report = body.has("maildir")
                ? new MaildirExporter(mailStore).exportMaildir(user, serverPath(body, "maildir"))
                : new MboxExporter(mailStore).exportMbox(user, serverPath(body, "mbox"), optionalText(body, "mailbox"));
        Json.write(response, 200, report);
    }

    /** Checks, and if asked repairs, a user's store. */
    private void checkStore(Directory dir, JsonNode body, HttpServletResponse response) throws IOException, StoreException {
        MailStore mailStore = store;
        if (mailStore == null) {
            Json.error(response, 503, "the mail store is not running");
            return;
        }
        MailAddress user = storeUser(dir, mailStore, body);
        JsonNode repair = body.get("repair");
        if (repair != null && !repair.isBoolean()) {
            throw new IllegalArgumentException("\"repair\" must be true or false");
        }
        CheckReport report = mailStore.check(user, repair != null && repair.asBoolean());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", report.user());
        m.put("mailboxes", report.mailboxes());
        m.put("messages", report.messages());
        m.put("problems", report.problems());
        m.put("repaired", report.repaired());
        m.put("clean", report.clean());
        Json.write(response, 200, m);
    }

    /** The user of a request about stored mail: one with an account, or with mail in the store. */
    private static MailAddress storeUser(Directory dir, MailStore mailStore, JsonNode body) throws StoreException {
        MailAddress user = MailAddress.parse(text(body, "user"));
        if (dir.account(user).isEmpty() && !mailStore.users().contains(user)) {
            throw new IllegalArgumentException("no account " + user + " and no mail stored for it");
        }
        return user;
    }

    /** An absolute path on the server, from a field of the body. */
    private static Path serverPath(JsonNode body, String field) {
        String text = text(body, field);
        try {
            Path path = Path.of(text);
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("\"" + field + "\" must be an absolute path on the server: " + text);
            }
            return path.normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("\"" + field + "\" is not a path: " + e.getReason());
        }
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-empty text");
        }
        return value.asText();
    }

    private static void migrationFailed(HttpServletResponse response, MigrationException e) throws IOException {
        int status = e.storeFailure().map(f -> f.reason() == StoreException.Reason.UNAVAILABLE ? 503 : 400)
                .orElse(e.getCause() instanceof IOException ? 500 : 400);
        if (status == 500) {
            LOG.warn("Migration failed: {}", e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        e.partial().ifPresent(p -> body.put("partial", p));
        Json.write(response, status, body);
    }

    private void queue(String method, String id, HttpServletResponse response) throws IOException {
        org.postbus.api.queue.OutboundQueue q = queue;
        if (q == null) {
            Json.error(response, 503, "the outbound queue is not running");
            return;
        }
        try {
            switch (method) {
                case "GET" -> {
                    if (id == null) {
                        Json.write(response, 200, q.list().stream().map(ApiServlet::queueEntry).toList());
                    } else {
                        var entry = q.get(id);
                        if (entry.isPresent()) {
                            Json.write(response, 200, queueEntry(entry.get()));
                        } else {
                            Json.error(response, 404, "no queued message " + id);
                        }
                    }
                }
                case "POST" -> {
                    if (q.retry(id)) {
                        Json.write(response, 200, Map.of("retry", id));
                    } else {
                        Json.error(response, 404, "no queued message " + id);
                    }
                }
                default -> removed(response, q.delete(id), "queued message", id);
            }
        } catch (IOException e) {
            Json.error(response, 503, "the queue cannot be changed now: " + e.getMessage());
        }
    }

    private static Map<String, Object> queueEntry(org.postbus.api.queue.QueueEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("sender", e.sender().map(MailAddress::toString).orElse(""));
        m.put("recipients", e.recipients().stream().map(MailAddress::toString).toList());
        m.put("size", e.size());
        m.put("queued", e.queued().toString());
        m.put("attempts", e.attempts());
        m.put("nextAttempt", e.nextAttempt().toString());
        m.put("lastError", e.lastError().orElse(""));
        return m;
    }

    private static void removed(HttpServletResponse response, boolean existed, String what, String key) throws IOException {
        if (existed) {
            Json.write(response, 200, Map.of("removed", key));
        } else {
            Json.error(response, 404, "no " + what + " " + key);
        }
    }

    private static List<String> segments(String pathInfo) {
        List<String> result = new ArrayList<>();
        if (pathInfo != null) {
            for (String s : pathInfo.split("/")) {
                if (!s.isEmpty()) {
                    result.add(s);
                }
            }
        }
        return result;
    }

    private static JsonNode body(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            throw new IllegalArgumentException("request body larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode node = Json.mapper().readTree(request.getInputStream().readNBytes(MAX_BODY + 1));
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("the request body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("\"" + field + "\" is required");
        }
        return value.asText();
    }

    private static Map<String, Object> domain(Domain d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("created", d.created().toString());
        return m;
    }

    private static Map<String, Object> account(Account a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", a.address().toString());
        m.put("quotaBytes", a.quotaBytes());
        m.put("enabled", a.enabled());
        m.put("created", a.created().toString());
        return m;
    }

    private static Map<String, Object> alias(Alias a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", a.source());
        m.put("targets", a.targets().stream().map(MailAddress::toString).toList());
        return m;
    }
}
