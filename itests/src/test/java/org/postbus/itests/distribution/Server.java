package org.postbus.itests.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A copy of the built distribution in its own folder, run with {@code bin/postbus} as a user
 * runs it, on free loopback ports.
 */
final class Server implements AutoCloseable {

    final Path home;
    final int httpPort;
    final int httpsPort;
    final Map<String, String> env = new HashMap<>();
    private Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final int smtpPort;
    final int submissionPort;
    final int smtpsPort;
    final int imapPort;
    final int imapsPort;
    final int pop3Port;
    final int pop3sPort;

    private Server(Path home, int httpPort, int httpsPort) throws IOException {
        this.home = home;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.smtpPort = freePort();
        this.submissionPort = freePort();
        this.smtpsPort = freePort();
        this.imapPort = freePort();
        this.imapsPort = freePort();
        this.pop3Port = freePort();
        this.pop3sPort = freePort();
        env.put("POSTBUS_IMAP_PORT", Integer.toString(imapPort));
        env.put("POSTBUS_IMAPS_PORT", Integer.toString(imapsPort));
        env.put("POSTBUS_POP3_PORT", Integer.toString(pop3Port));
        env.put("POSTBUS_POP3S_PORT", Integer.toString(pop3sPort));
        env.put("POSTBUS_SMTP_PORT", Integer.toString(smtpPort));
        env.put("POSTBUS_SUBMISSION_PORT", Integer.toString(submissionPort));
        env.put("POSTBUS_SMTPS_PORT", Integer.toString(smtpsPort));
        env.put("POSTBUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("POSTBUS_HTTPS_PORT", Integer.toString(httpsPort));
        env.put("POSTBUS_BIND", "127.0.0.1");
        env.put("POSTBUS_DOMAIN", "example.test");
    }

    /**
     * Unpacks the distribution's tarball, exactly what ships, into a fresh folder under target/
     * (the build's own {@code target/postbus} may have been run and changed by hand).
     */
    static Server fresh(String name) throws IOException, InterruptedException {
        Path dist = Path.of(System.getProperty("postbus.dist", "../distribution/target/postbus")).toAbsolutePath();
        Path tarball;
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dist.getParent(), "postbus-*.tar.gz")) {
            var it = found.iterator();
            tarball = it.hasNext() ? it.next() : null;
        }
        if (tarball == null) {
            throw new IllegalStateException("no built distribution in " + dist.getParent() + "; run mvn package first");
        }
        Path target = Path.of(System.getProperty("project.build.directory", "target")).toAbsolutePath();
        Path parent = target.resolve("servers").resolve(name + "-" + System.nanoTime());
        Files.createDirectories(parent);
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", parent.toString())
                .inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IllegalStateException("cannot unpack " + tarball);
        }
        return new Server(parent.resolve("postbus"), freePort(), freePort());
    }

    /**
     * A port that is free now, below Linux's ephemeral range (32768 and up): a port the kernel
     * handed out for "any port" may be given again to an outgoing connection of another test
     * before the server binds it.
     */
    static int freePort() throws IOException {
        return org.postbus.itests.Ports.free();
    }

    /** Starts {@code bin/postbus run} in the background, its output in {@code console.out}. */
    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/postbus").toString(), "run");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.out").toFile()));
        process = pb.start();
    }

    /** Waits until {@code /health} answers 200. */
    void awaitHealthy(Duration timeout) {
        await(timeout, () -> health().statusCode() == 200, "the server to become healthy");
    }

    HttpResponse<String> health() {
        return get("/health", false);
    }

    HttpResponse<String> get(String path, boolean admin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10));
        if (admin) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + adminSecret()).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Unanswered(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The certificate the HTTPS port presents, or {@code null} if the handshake fails.
     */
    java.security.cert.X509Certificate httpsCertificate() {
        try {
            javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
            trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
                public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
                public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
            }}, null);
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) trustAll.getSocketFactory()
                    .createSocket("127.0.0.1", httpsPort)) {
                socket.setSoTimeout(5000);
                socket.startHandshake();
                return (java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0];
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            return null;
        }
    }

    String adminSecret() {
        try {
            return Files.readString(home.resolve("data/admin.secret")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String console() throws IOException {
        Path out = home.resolve("console.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    String log() throws IOException {
        Path log = home.resolve("logs/postbus.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Runs {@code bin/postbus ARGS} to completion. */
    Result cli(String... args) throws IOException, InterruptedException {
        return cliWithInput(null, args);
    }

    /** Runs {@code bin/postbus ARGS} with {@code stdin} as input. */
    Result cliWithInput(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/postbus").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path out = Files.createTempFile(home, "cli", ".out");
        Path err = Files.createTempFile(home, "cli", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/postbus " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Kills the server the hard way, as a crash would. */
    void kill9() throws InterruptedException {
        if (process != null) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Stops the server with SIGTERM, as {@code bin/postbus stop} does. */
    int stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? -1 : process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the server did not stop within 40 s of SIGTERM");
        }
        return process.exitValue();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }

    /** What a command printed and returned. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    /** A request nothing answered (connection refused). */
    private record Unanswered(IOException cause) implements HttpResponse<String> {
        public int statusCode() { return -1; }
        public HttpRequest request() { return null; }
        public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true); }
        public String body() { return cause.toString(); }
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
        public URI uri() { return null; }
        public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    }
}
