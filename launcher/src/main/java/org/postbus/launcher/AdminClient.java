package org.postbus.launcher;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code bin/postbus domain|user|alias|status|import|export|store} commands: they talk to the
 * running server's REST API on loopback, authenticated as the admin with the password in
 * {@code data/admin.secret}. Import and export paths are read and written by the server; they are
 * made absolute here, against the directory the command runs in.
 */
public final class AdminClient {

    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\[env:([A-Za-z0-9_]+);default=([^\\]]*)]");

    private final Home home;
    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AdminClient(Home home, PrintStream out, PrintStream err) {
        this.home = home;
        this.out = out;
        this.err = err;
    }

    /** Runs one command; returns the process exit status. */
    public int execute(List<String> args) {
        try {
            return dispatch(args);
        } catch (UsageException e) {
            err.println(e.getMessage());
            return 2;
        } catch (ConnectException e) {
            err.println("Postbus is not running (nothing answers at " + baseUrl() + ").");
            return 3;
        } catch (IOException e) {
            err.println("Cannot reach Postbus at " + baseUrl() + ": " + e.getMessage());
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int dispatch(List<String> args) throws IOException, InterruptedException {
        String noun = args.get(0);
        String verb = args.size() > 1 ? args.get(1) : "list";
        List<String> rest = args.size() > 2 ? args.subList(2, args.size()) : List.of();
        switch (noun) {
            case "status":
                return status();
            case "domain":
                switch (verb) {
                    case "list": return list("/domains", "name");
                    case "add": return send("POST", "/domains", Json.createObjectBuilder().add("name", one(rest, "domain add NAME")).build(), "Domain added: ");
                    case "remove": return send("DELETE", "/domains/" + enc(one(rest, "domain remove NAME")), null, "Domain removed: ");
                    default: throw usage();
                }
            case "user":
                switch (verb) {
                    case "list": return listUsers();
                    case "add": {
                        Args a = Args.parse(rest);
                        String address = a.single("user add ADDRESS --password SECRET");
                        String password = a.password(err);
                        return send("POST", "/users", Json.createObjectBuilder().add("address", address).add("password", password).build(), "User added: ");
                    }
                    case "passwd": case "password": {
                        Args a = Args.parse(rest);
                        String address = a.single("user passwd ADDRESS --password SECRET");
                        return send("PUT", "/users/" + enc(address) + "/password", Json.createObjectBuilder().add("password", a.password(err)).build(), "Password changed: ");
                    }
                    case "remove": return send("DELETE", "/users/" + enc(one(rest, "user remove ADDRESS")), null, "User removed: ");
                    case "enable": case "disable": {
                        String address = one(rest, "user " + verb + " ADDRESS");
                        return send("PUT", "/users/" + enc(address), Json.createObjectBuilder().add("enabled", verb.equals("enable")).build(),
                                verb.equals("enable") ? "User enabled: " : "User disabled: ");
                    }
                    case "quota": {
                        if (rest.size() != 2) {
                            throw new UsageException("usage: postbus user quota ADDRESS SIZE   (SIZE in bytes, or with K, M, G; 'none' for no limit)");
                        }
                        return send("PUT", "/users/" + enc(rest.get(0)), Json.createObjectBuilder().add("quotaBytes", bytes(rest.get(1))).build(), "Quota set: ");
                    }
                    default: throw usage();
                }
            case "queue":
                switch (verb) {
                    case "list": return listQueue(null);
                    case "show": return listQueue(one(rest, "queue show ID"));
                    case "retry": return send("POST", "/queue/" + enc(one(rest, "queue retry ID")) + "/retry", null, "Retry scheduled: ");
                    case "delete": return send("DELETE", "/queue/" + enc(one(rest, "queue delete ID")), null, "Deleted from the queue: ");
                    default: throw usage();
                }
            case "alias":
                switch (verb) {
                    case "list": return list("/aliases", "source", "targets");
                    case "add": {
                        if (rest.size() < 2) {
                            throw new UsageException("usage: postbus alias add SOURCE TARGET [TARGET...]   (SOURCE @domain is a catch-all)");
                        }
                        JsonArrayBuilder targets = Json.createArrayBuilder();
                        rest.subList(1, rest.size()).forEach(targets::add);
                        return send("POST", "/aliases", Json.createObjectBuilder().add("source", rest.get(0)).add("targets", targets).build(), "Alias set: ");
                    }
                    case "remove": return send("DELETE", "/aliases/" + enc(one(rest, "alias remove SOURCE")), null, "Alias removed: ");
                    default: throw usage();
                }
            case "import":
            case "export":
                return migrate(noun, args.subList(1, args.size()));
            case "store":
                if (!verb.equals("check")) {
                    throw usage();
                }
                return checkStore(rest);
            default:
                throw usage();
        }
    }

    private int migrate(String command, List<String> args) throws IOException, InterruptedException {
        String usage = command.equals("import")
                ? "usage: postbus import --maildir DIR --user ADDRESS\n       postbus import --mbox FILE --user ADDRESS [--mailbox NAME]"
                : "usage: postbus export --maildir DIR --user ADDRESS\n       postbus export --mbox DIR --user ADDRESS [--mailbox NAME]";
        Options o = Options.parse(args, Set.of("--maildir", "--mbox", "--user", "--mailbox"), Set.of(), usage);
        String maildir = o.values().get("--maildir");
        String mbox = o.values().get("--mbox");
        String mailbox = o.values().get("--mailbox");
        if (!o.positional().isEmpty() || !o.values().containsKey("--user") || (maildir == null) == (mbox == null)
                || mailbox != null && maildir != null) {
            throw new UsageException(usage);
        }
        var body = Json.createObjectBuilder().add("user", o.values().get("--user"));
        if (maildir != null) {
            body.add("maildir", absolute(maildir, usage));
        } else {
            body.add("mbox", absolute(mbox, usage));
        }
        if (mailbox != null) {
            body.add("mailbox", mailbox);
        }
        HttpResponse<String> response = call("POST", "/" + command, body.build(), null);
        if (response.statusCode() != 200) {
            int status = failed(response);
            try {
                JsonObject error = parse(response.body()).asJsonObject();
                if (error.containsKey("partial")) {
                    out.println("Before it stopped:");
                    summary(command, error.getJsonObject("partial"));
                }
            } catch (RuntimeException notJson) {
                // failed() showed the body
            }
            return status;
        }
        summary(command, parse(response.body()).asJsonObject());
        return 0;
    }

    /** Prints an import or export report. */
    private void summary(String command, JsonObject r) {
        boolean imported = command.equals("import");
        JsonArray mailboxes = r.getJsonArray("mailboxes");
        out.printf("%s %s %s %s of %s %s %s %s%n", imported ? "Imported" : "Exported",
                plural(r.getJsonNumber("messages").longValue(), "message"), imported ? "into" : "from",
                plural(mailboxes.size(), "mailbox"), r.getString("user"), imported ? "from" : "into",
                r.getString("format").equals("maildir") ? "Maildir" : "mbox", imported ? r.getString("source") : r.getString("target"));
        int width = 5;
        for (JsonValue v : mailboxes) {
            width = Math.max(width, v.asJsonObject().getString("name").length());
        }
        for (JsonValue v : mailboxes) {
            JsonObject m = v.asJsonObject();
            String detail;
            if (imported) {
                detail = m.getBoolean("uidsKept") ? "UIDs kept (UIDVALIDITY " + m.getJsonNumber("uidValidity") + ")"
                        : m.getString("note", "new UIDs");
            } else {
                detail = "-> " + m.getString("target") + "  (UIDVALIDITY " + m.getJsonNumber("uidValidity")
                        + ", UIDNEXT " + m.getJsonNumber("uidNext") + ")";
            }
            out.printf("  %-" + width + "s %16s  %s%n", m.getString("name"), plural(m.getJsonNumber("messages").longValue(), "message"), detail);
        }
        if (r.getString("format").equals("maildir")) {
            out.println("Subscriptions: " + r.getInt("subscriptions"));
        }
        JsonArray skipped = r.getJsonArray("skipped");
        if (!skipped.isEmpty()) {
            out.println("Skipped " + skipped.size() + ":");
            for (JsonValue v : skipped) {
                out.println("  " + v.asJsonObject().getString("file") + ": " + v.asJsonObject().getString("reason"));
            }
        }
        JsonArray notes = r.getJsonArray("notes");
        if (!notes.isEmpty()) {
            out.println("Notes:");
            for (JsonValue v : notes) {
                out.println("  " + ((jakarta.json.JsonString) v).getString());
            }
        }
    }

    private int checkStore(List<String> args) throws IOException, InterruptedException {
        String usage = "usage: postbus store check ADDRESS [--repair]";
        Options o = Options.parse(args, Set.of(), Set.of("--repair"), usage);
        if (o.positional().size() != 1) {
            throw new UsageException(usage);
        }
        boolean repair = o.flags().contains("--repair");
        HttpResponse<String> response = call("POST", "/store/check",
                Json.createObjectBuilder().add("user", o.positional().get(0)).add("repair", repair).build(), null);
        if (response.statusCode() != 200) {
            return failed(response);
        }
        JsonObject r = parse(response.body()).asJsonObject();
        JsonArray problems = r.getJsonArray("problems");
        String counts = "Store of " + r.getString("user") + ": " + plural(r.getInt("mailboxes"), "mailbox") + ", "
                + plural(r.getJsonNumber("messages").longValue(), "message") + ": ";
        if (problems.isEmpty()) {
            out.println(counts + "clean");
            return 0;
        }
        boolean repaired = r.getBoolean("repaired", false);
        out.println(counts + plural(problems.size(), "problem")
                + (repaired ? ", repaired" : repair ? ", not all repaired" : " (run again with --repair to repair them)"));
        for (JsonValue v : problems) {
            out.println("  - " + ((jakarta.json.JsonString) v).getString());
        }
        return repaired ? 0 : 1;
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : word.endsWith("x") ? "es" : "s");
    }

    /** A path given on the command line, made absolute for the server. */
    private static String absolute(String path, String usage) {
        try {
            return Path.of(path).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            throw new UsageException("not a path: " + path + "\n" + usage);
        }
    }

    private int status() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonObject health = parse(response.body()).asJsonObject();
        out.println("Postbus at " + baseUrl() + ": " + health.getString("status", "?"));
        JsonObject checks = health.getJsonObject("checks");
        if (checks != null) {
            checks.forEach((name, value) -> {
                JsonObject c = value.asJsonObject();
                out.printf("  %-16s %-5s %s%n", name, c.getBoolean("up", false) ? "up" : "DOWN", c.getString("detail", ""));
            });
        }
        return response.statusCode() == 200 ? 0 : 1;
    }

    private int listQueue(String id) throws IOException, InterruptedException {
        HttpResponse<String> response = call("GET", id == null ? "/queue" : "/queue/" + enc(id), null);
        if (response.statusCode() != 200) {
            return failed(response);
        }
        JsonValue parsed = parse(response.body());
        List<JsonValue> entries = parsed instanceof JsonArray array ? array : List.of(parsed);
        if (entries.isEmpty()) {
            out.println("The queue is empty.");
        }
        for (JsonValue item : entries) {
            JsonObject e = item.asJsonObject();
            String sender = e.getString("sender", "");
            out.printf("%s  %d bytes  queued %s  from <%s>%n", e.getString("id"), e.getJsonNumber("size").longValue(),
                    e.getString("queued"), sender);
            out.println("    to: " + String.join(", ", e.getJsonArray("recipients").getValuesAs(jakarta.json.JsonString.class)
                    .stream().map(jakarta.json.JsonString::getString).toList()));
            out.println("    attempts: " + e.getInt("attempts") + ", next " + e.getString("nextAttempt")
                    + (e.getString("lastError", "").isEmpty() ? "" : ", last error: " + e.getString("lastError")));
        }
        return 0;
    }

    private int listUsers() throws IOException, InterruptedException {
        HttpResponse<String> response = call("GET", "/users", null);
        if (response.statusCode() != 200) {
            return failed(response);
        }
        for (JsonValue item : parse(response.body()).asJsonArray()) {
            JsonObject user = item.asJsonObject();
            StringBuilder line = new StringBuilder(user.getString("address"));
            if (!user.getBoolean("enabled", true)) {
                line.append("  (disabled)");
            }
            if (user.containsKey("quotaBytes") && user.getJsonNumber("quotaBytes").longValue() >= 0) {
                line.append("  quota ").append(user.getJsonNumber("quotaBytes").longValue()).append(" bytes");
            }
            out.println(line);
        }
        return 0;
    }

    private int list(String path, String... fields) throws IOException, InterruptedException {
        HttpResponse<String> response = call("GET", path, null);
        if (response.statusCode() != 200) {
            return failed(response);
        }
        for (JsonValue item : parse(response.body()).asJsonArray()) {
            JsonObject o = item.asJsonObject();
            StringBuilder line = new StringBuilder();
            for (String field : fields) {
                JsonValue v = o.get(field);
                String text = v instanceof JsonArray arr
                        ? String.join(", ", arr.getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList())
                        : v == null ? "" : v.getValueType() == JsonValue.ValueType.STRING ? o.getString(field) : v.toString();
                line.append(line.length() == 0 ? "" : " -> ").append(text);
            }
            out.println(line);
        }
        return 0;
    }

    private int send(String method, String path, JsonObject body, String done) throws IOException, InterruptedException {
        HttpResponse<String> response = call(method, path, body);
        if (response.statusCode() / 100 != 2) {
            return failed(response);
        }
        String what;
        if (body != null && method.equals("POST")) {
            what = body.containsKey("name") ? body.getString("name") : body.containsKey("address") ? body.getString("address") : body.getString("source");
        } else {
            // the object named in the path: /domains/{name}, /users/{address}[/password], /aliases/{source}
            what = java.net.URLDecoder.decode(path.split("/")[2], StandardCharsets.UTF_8);
        }
        if (body != null && body.containsKey("quotaBytes")) {
            long q = body.getJsonNumber("quotaBytes").longValue();
            what += q < 0 ? " (no limit)" : " (" + q + " bytes)";
        }
        out.println(done + what);
        return 0;
    }

    /** A size such as {@code 500M}, {@code 2G}, {@code 1048576} or {@code none}. */
    static long bytes(String text) {
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        if (t.equals("NONE") || t.equals("UNLIMITED") || t.equals("-1")) {
            return -1;
        }
        long unit = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G' || last == 'T') {
            unit = switch (last) { case 'K' -> 1L << 10; case 'M' -> 1L << 20; case 'G' -> 1L << 30; default -> 1L << 40; };
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("not a size: " + text + " (use bytes, or a number with K, M, G or T, or 'none')");
        }
    }

    private int failed(HttpResponse<String> response) {
        String message = response.body();
        try {
            message = parse(response.body()).asJsonObject().getString("error", message);
        } catch (RuntimeException notJson) {
            // keep the raw body
        }
        if (response.statusCode() == 401) {
            message = "the server refused the admin password in " + home.adminSecret() + " (" + message + ")";
        }
        err.println("Error: " + message);
        return 1;
    }

    private HttpResponse<String> call(String method, String path, JsonObject body) throws IOException, InterruptedException {
        return call(method, path, body, Duration.ofSeconds(30));
    }

    /** A call; {@code timeout} null waits as long as the server works (imports and exports). */
    private HttpResponse<String> call(String method, String path, JsonObject body, Duration timeout)
            throws IOException, InterruptedException {
        String secret = AdminSecret.read(home.adminSecret())
                .orElseThrow(() -> new UsageException("No admin password: " + home.adminSecret() + " is missing. Start the server once to create it."));
        String auth = Base64.getEncoder().encodeToString((AdminSecret.USER + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1" + path))
                .header("Authorization", "Basic " + auth)
                .header("Accept", "application/json");
        if (timeout != null) {
            request.timeout(timeout);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The server's address: {@code POSTBUS_ADMIN_URL}, or loopback at the HTTP port of
     * {@code POSTBUS_HTTP_PORT} or {@code etc/org.apache.felix.http.cfg}.
     */
    String baseUrl() {
        String url = System.getenv("POSTBUS_ADMIN_URL");
        if (url != null && !url.isBlank()) {
            return url.replaceAll("/+$", "");
        }
        return "http://127.0.0.1:" + httpPort();
    }

    private String httpPort() {
        String env = System.getenv("POSTBUS_HTTP_PORT");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        Path cfg = home.etc().resolve("org.apache.felix.http.cfg");
        try {
            for (String line : Files.readAllLines(cfg)) {
                String l = line.strip();
                if (l.startsWith("org.osgi.service.http.port")) {
                    String value = l.substring(l.indexOf('=') + 1).strip();
                    Matcher m = ENV_DEFAULT.matcher(value);
                    return m.matches() ? m.group(2) : value;
                }
            }
        } catch (IOException unreadable) {
            // fall back to the default port
        }
        return "8080";
    }

    private static JsonValue parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String one(List<String> rest, String usage) {
        if (rest.size() != 1) {
            throw new UsageException("usage: postbus " + usage);
        }
        return rest.get(0);
    }

    static UsageException usage() {
        return new UsageException(String.join("\n",
                "usage: postbus COMMAND",
                "  run                          run the server in the foreground",
                "  start | stop | status        run it in the background, stop it, show its health",
                "  domain list | add NAME | remove NAME",
                "  user list | add ADDRESS [--password SECRET] | passwd ADDRESS [--password SECRET] | remove ADDRESS",
                "  user enable ADDRESS | disable ADDRESS | quota ADDRESS SIZE   (SIZE: 500M, 2G, none)",
                "  alias list | add SOURCE TARGET... | remove SOURCE     (SOURCE @domain: catch-all)",
                "  queue list | show ID | retry ID | delete ID         (mail waiting for other servers)",
                "  import --maildir DIR --user ADDRESS                   (Dovecot/Courier Maildir; UIDs kept)",
                "  import --mbox FILE --user ADDRESS [--mailbox NAME]    (into INBOX unless NAME)",
                "  export --maildir DIR --user ADDRESS                   (a new Maildir, Dovecot-readable)",
                "  export --mbox DIR --user ADDRESS [--mailbox NAME]     (one NAME.mbox per mailbox)",
                "  store check ADDRESS [--repair]                        (verify, and repair, a user's store)"));
    }

    /** A command line that does not make sense; its message is the usage to print. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Positional arguments, options with a value ({@code --user ADDRESS} or {@code --user=ADDRESS})
     * and flags ({@code --repair}).
     */
    private record Options(List<String> positional, Map<String, String> values, Set<String> flags) {
        static Options parse(List<String> args, Set<String> valued, Set<String> flagNames, String usage) {
            List<String> positional = new ArrayList<>();
            Map<String, String> values = new LinkedHashMap<>();
            Set<String> flags = new HashSet<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                int eq = a.indexOf('=');
                String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
                if (valued.contains(name)) {
                    String value;
                    if (eq > 0 && a.startsWith("--")) {
                        value = a.substring(eq + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw new UsageException(name + " needs a value\n" + usage);
                    }
                    if (values.put(name, value) != null) {
                        throw new UsageException(name + " given twice\n" + usage);
                    }
                } else if (flagNames.contains(a)) {
                    flags.add(a);
                } else if (a.startsWith("--")) {
                    throw new UsageException("unknown option " + a + "\n" + usage);
                } else {
                    positional.add(a);
                }
            }
            return new Options(positional, values, flags);
        }
    }

    /** Positional arguments and {@code --password}. */
    private record Args(List<String> positional, String password) {
        static Args parse(List<String> args) {
            List<String> positional = new ArrayList<>();
            String password = null;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("--password") && i + 1 < args.size()) {
                    password = args.get(++i);
                } else if (a.startsWith("--password=")) {
                    password = a.substring("--password=".length());
                } else {
                    positional.add(a);
                }
            }
            return new Args(positional, password);
        }

        String single(String usage) {
            if (positional.size() != 1) {
                throw new UsageException("usage: postbus " + usage);
            }
            return positional.get(0);
        }

        /** The --password value, else asked on the terminal, else the first line of stdin. */
        String password(PrintStream err) throws IOException {
            if (password != null) {
                return password;
            }
            if (System.console() != null) {
                char[] typed = System.console().readPassword("Password: ");
                if (typed != null && typed.length > 0) {
                    return new String(typed);
                }
                throw new UsageException("no password given");
            }
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new UsageException("no password given: use --password SECRET or pipe it on stdin");
            }
            return line;
        }
    }
}
