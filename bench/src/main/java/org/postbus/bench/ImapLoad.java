package org.postbus.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mixed IMAP load: N clients, one thread and one user each (users are shared round-robin when
 * there are fewer users than clients), each looping a mail-client session - LOGIN, SELECT INBOX,
 * FETCH of flags for all messages, of a page of headers and of a few bodies, STORE \Seen, APPEND
 * of a 4 KiB message, SEARCH UNSEEN and by subject (or text), STORE \Deleted and EXPUNGE of the
 * appended message (the mailbox keeps its size), LOGOUT - for a fixed time after a warm-up. Prints
 * commands and sessions per second, latency percentiles per command and overall, and the CPU the
 * client itself used (so that a client-bound run can be recognised). Run through bench/imap.sh.
 */
public final class ImapLoad {

    /** The commands of a session, in the order they are sent. */
    enum Cmd {
        LOGIN, SELECT, FETCH_FLAGS, FETCH_HEADERS, FETCH_BODIES, STORE_SEEN, STORE_UNSEEN, APPEND,
        SEARCH_UNSEEN, SEARCH_WORD, UID_SEARCH_APPENDED, STORE_DELETED, EXPUNGE, LOGOUT
    }

    /** Words the make-mbox.py subjects and bodies are made of. */
    private static final String[] WORDS = ("alpha beta gamma delta epsilon zeta theta kappa lambda"
            + " sigma omega mail server anchor dovecot postfix imap smtp pop3 message body test"
            + " benchmark quick brown fox").split(" ");

    private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID \\d+ (\\d+)\\]",
            Pattern.CASE_INSENSITIVE);

    private final Options o;
    private volatile long warmEnd;
    private volatile long end;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong errorsInWindow = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Map<String, AtomicLong> errorKinds = new HashMap<>();

    private ImapLoad(Options o) {
        this.o = o;
    }

    /** Command-line options (see bench/imap.sh). */
    static final class Options {
        String host = "127.0.0.1";
        int port = 143;
        int clients = 20;
        int users = 0;
        int firstUser = 1;
        String userFormat = "user%d";
        String password = "pass";
        double duration = 30;
        double warmup = 5;
        String search = "subject";
        int headers = 50;
        int bodies = 3;
        int appendSize = 4096;
        int serverPid = 0;
        String label = "imap";
        long seed = 1;
        int timeoutMs = 60_000;
        boolean searchAppended;
        int cycles = 1;
    }

    /** Per-thread latency record: microseconds per command kind, for exact percentiles. */
    private static final class Recorder {
        final long[][] lat = new long[Cmd.values().length][];
        final int[] n = new int[Cmd.values().length];
        long sessions;
        long literalBytes;

        Recorder() {
            for (int i = 0; i < lat.length; i++) {
                lat[i] = new long[1024];
            }
        }

        void add(Cmd c, long micros) {
            int i = c.ordinal();
            if (n[i] == lat[i].length) {
                lat[i] = Arrays.copyOf(lat[i], n[i] * 2);
            }
            lat[i][n[i]++] = micros;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        System.exit(new ImapLoad(o).run());
    }

    static Options parse(String[] args) {
        Options o = new Options();
        List<String> pos = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                pos.add(a);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--clients" -> o.clients = Integer.parseInt(v);
                case "--users" -> o.users = Integer.parseInt(v);
                case "--first-user" -> o.firstUser = Integer.parseInt(v);
                case "--user-format" -> o.userFormat = v;
                case "--password" -> o.password = v;
                case "--duration" -> o.duration = Double.parseDouble(v);
                case "--warmup" -> o.warmup = Double.parseDouble(v);
                case "--search" -> o.search = v;
                case "--headers" -> o.headers = Integer.parseInt(v);
                case "--bodies" -> o.bodies = Integer.parseInt(v);
                case "--append-size" -> o.appendSize = Integer.parseInt(v);
                case "--server-pid" -> o.serverPid = Integer.parseInt(v);
                case "--label" -> o.label = v;
                case "--seed" -> o.seed = Long.parseLong(v);
                case "--timeout" -> o.timeoutMs = (int) (Double.parseDouble(v) * 1000);
                case "--cycles" -> o.cycles = Math.max(1, Integer.parseInt(v));
                case "--find-appended" -> {
                    if (!v.equals("appenduid") && !v.equals("search")) {
                        throw new IllegalArgumentException("--find-appended is appenduid or search");
                    }
                    o.searchAppended = v.equals("search");
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (pos.size() > 0) {
            o.host = pos.get(0);
        }
        if (pos.size() > 1) {
            o.port = Integer.parseInt(pos.get(1));
        }
        if (o.users <= 0) {
            o.users = o.clients;
        }
        if (!o.search.equals("subject") && !o.search.equals("text")) {
            throw new IllegalArgumentException("--search is subject or text");
        }
        return o;
    }

    static String user(String format, int k) {
        return format.contains("%d") ? String.format(Locale.ROOT, format, k) : format;
    }

    private String head() {
        return String.format(Locale.ROOT,
                "imap label=%s host=%s port=%d clients=%d users=%d duration_s=%s warmup_s=%s search=%s"
                + " find_appended=%s cycles=%d",
                o.label, o.host, o.port, o.clients, o.users, trim(o.duration), trim(o.warmup), o.search,
                o.searchAppended ? "search" : "appenduid", o.cycles);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private int run() throws Exception {
        // One session first, alone: a wrong address, password or empty mailbox fails fast and clearly.
        Recorder probe = new Recorder();
        try {
            session(0, new Random(o.seed), probe, false);
        } catch (IOException e) {
            System.out.println(head() + " error=probe_session_failed:" + sanitize(e.toString())
                    + " load1=" + ProcStats.load1());
            return 1;
        }
        System.out.printf(Locale.ROOT, "# %d clients on %s:%d, users %s..%s, warm-up %ss, measuring %ss%n",
                o.clients, o.host, o.port, user(o.userFormat, o.firstUser),
                user(o.userFormat, o.firstUser + o.users - 1), trim(o.warmup), trim(o.duration));
        long start = System.nanoTime();
        warmEnd = start + (long) (o.warmup * 1e9);
        end = warmEnd + (long) (o.duration * 1e9);
        Recorder[] recs = new Recorder[o.clients];
        Thread[] threads = new Thread[o.clients];
        for (int c = 0; c < o.clients; c++) {
            Recorder r = new Recorder();
            recs[c] = r;
            int client = c;
            Random rnd = new Random(o.seed * 1000 + c);
            threads[c] = new Thread(null, () -> clientLoop(client, rnd, r), "client-" + c, 256 * 1024);
            threads[c].start();
        }
        sleepUntil(warmEnd);
        long cpu0 = ProcStats.selfCpuNanos();
        long srv0 = o.serverPid > 0 ? ProcStats.treeCpuNanos(o.serverPid) : 0;
        long[] m0 = ProcStats.machineTicks();
        long t0 = System.nanoTime();
        sleepUntil(end);
        long t1 = System.nanoTime();
        long cpu1 = ProcStats.selfCpuNanos();
        long srv1 = o.serverPid > 0 ? ProcStats.treeCpuNanos(o.serverPid) : 0;
        long[] m1 = ProcStats.machineTicks();
        // Clients finish the session they are in (so no appended message is left behind); one
        // shared deadline bounds the wait for a server that stopped answering.
        long joinDeadline = System.nanoTime() + (o.timeoutMs + 5000L) * 1_000_000L;
        for (Thread t : threads) {
            t.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
        }
        double window = (t1 - t0) / 1e9;
        return report(recs, window, (cpu1 - cpu0) / 1e9, (srv1 - srv0) / 1e9,
                m1[1] - m0[1] > 0 ? 100.0 * (m1[0] - m0[0]) / (m1[1] - m0[1]) : -1);
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    private void clientLoop(int client, Random rnd, Recorder r) {
        while (System.nanoTime() < end) {
            try {
                session(client, rnd, r, true);
            } catch (IOException | RuntimeException e) {
                errors.incrementAndGet();
                long now = System.nanoTime();
                if (now >= warmEnd && now <= end) {
                    errorsInWindow.incrementAndGet();
                }
                firstError.compareAndSet(null, e.toString());
                String kind = e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage().split(":")[0];
                synchronized (errorKinds) {
                    errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                }
                try {
                    // A refusing server must not turn the client into a busy loop.
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Times one command and records it when it ran entirely inside the measuring window. */
    private interface Step {
        void run() throws IOException;
    }

    private void timed(Recorder r, boolean record, Cmd cmd, Step step) throws IOException {
        long t0 = System.nanoTime();
        step.run();
        long t1 = System.nanoTime();
        if (record && t0 >= warmEnd && t1 <= end) {
            r.add(cmd, (t1 - t0) / 1000);
        }
    }

    private void session(int client, Random rnd, Recorder r, boolean record) throws IOException {
        String user = user(o.userFormat, o.firstUser + client % o.users);
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(o.timeoutMs);
        s.connect(new InetSocketAddress(o.host, o.port), o.timeoutMs);
        try (ImapClient c = new ImapClient(s, 64 * 1024)) {
            c.greeting();
            timed(r, record, Cmd.LOGIN, () -> c.command("login", "LOGIN " + quote(user) + " " + quote(o.password)));
            for (int k = 0; k < o.cycles; k++) {
                cycle(c, user, client, rnd, r, record);
            }
            timed(r, record, Cmd.LOGOUT, () -> c.command("logout", "LOGOUT"));
            long now = System.nanoTime();
            if (record && now >= warmEnd && now <= end) {
                r.sessions++;
                r.literalBytes += c.literalBytes;
            }
        }
    }

    /** What a mail client does with its mailbox between LOGIN and LOGOUT. */
    private void cycle(ImapClient c, String user, int client, Random rnd, Recorder r, boolean record)
            throws IOException {
        timed(r, record, Cmd.SELECT, () -> c.command("select", "SELECT INBOX"));
        int n = c.exists;
        if (n < 1) {
            throw new IOException("select: mailbox of " + user + " is empty (prepare it first)");
        }
        timed(r, record, Cmd.FETCH_FLAGS, () -> c.command("fetch_flags", "FETCH 1:* (FLAGS UID RFC822.SIZE)"));
        int from = Math.max(1, n - o.headers + 1);
        timed(r, record, Cmd.FETCH_HEADERS, () -> c.command("fetch_headers",
                "FETCH " + from + ":" + n + " (BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE)])"));
        String some = pick(rnd, n, o.bodies);
        timed(r, record, Cmd.FETCH_BODIES, () -> c.command("fetch_bodies", "FETCH " + some + " (BODY.PEEK[])"));
        timed(r, record, Cmd.STORE_SEEN, () -> c.command("store_seen", "STORE " + some + " +FLAGS (\\Seen)"));
        // Marking one other message unread again keeps the share of unseen mail steady from
        // session to session, so SEARCH UNSEEN answers alike at the start and end of a run.
        int unread = 1 + rnd.nextInt(n);
        timed(r, record, Cmd.STORE_UNSEEN, () -> c.command("store_unseen", "STORE " + unread + " -FLAGS (\\Seen)"));
        String msgId = "<bench-" + client + "-" + System.nanoTime() + "@example.test>";
        byte[] msg = message(user, msgId, rnd);
        String[] tagged = new String[1];
        timed(r, record, Cmd.APPEND, () -> tagged[0] = c.append("INBOX", "\\Seen", msg));
        timed(r, record, Cmd.SEARCH_UNSEEN, () -> c.command("search_unseen", "SEARCH UNSEEN"));
        String word = WORDS[rnd.nextInt(WORDS.length)];
        String key = o.search.equals("text") ? "TEXT" : "SUBJECT";
        timed(r, record, Cmd.SEARCH_WORD, () -> c.command("search_word", "SEARCH " + key + " " + quote(word)));
        Matcher m = APPENDUID.matcher(tagged[0]);
        String uid;
        if (!o.searchAppended && m.find()) {
            uid = m.group(1);
        } else {
            // No UIDPLUS (or asked to do the same work on every server): find the message
            // we appended by its Message-ID.
            c.lastSearch = null;
            timed(r, record, Cmd.UID_SEARCH_APPENDED, () -> c.command("uid_search_appended",
                    "UID SEARCH HEADER Message-ID " + quote(msgId)));
            String found = c.lastSearch == null ? "" : c.lastSearch.trim();
            if (found.isEmpty()) {
                throw new IOException("uid_search_appended: appended message not found");
            }
            uid = found.split(" ")[0];
        }
        timed(r, record, Cmd.STORE_DELETED, () -> c.command("store_deleted", "UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)"));
        timed(r, record, Cmd.EXPUNGE, () -> c.command("expunge", "EXPUNGE"));
    }

    /** k distinct random message numbers in 1..n, as a sequence set. */
    private static String pick(Random rnd, int n, int k) {
        k = Math.min(k, n);
        int[] chosen = rnd.ints(1, n + 1).distinct().limit(k).sorted().toArray();
        StringBuilder sb = new StringBuilder();
        for (int x : chosen) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(x);
        }
        return sb.toString();
    }

    private byte[] message(String user, String msgId, Random rnd) {
        String to = user.contains("@") ? user : user + "@example.test";
        StringBuilder sb = new StringBuilder();
        sb.append("From: Bench <bench@example.test>\r\n")
          .append("To: ").append(to).append("\r\n")
          .append("Subject: bench append ").append(WORDS[rnd.nextInt(WORDS.length)]).append("\r\n")
          .append("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n")
          .append("Message-ID: ").append(msgId).append("\r\n")
          .append("MIME-Version: 1.0\r\n")
          .append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        while (sb.length() < o.appendSize - 2) {
            StringBuilder line = new StringBuilder();
            while (line.length() < 70) {
                line.append(WORDS[rnd.nextInt(WORDS.length)]).append(' ');
            }
            sb.append(line, 0, line.length() - 1).append("\r\n");
        }
        sb.setLength(Math.max(0, o.appendSize - 2));
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9._:/@-]+", "_");
    }

    private static long pct(long[] sorted, int n, double p) {
        if (n == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, i))];
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    private int report(Recorder[] recs, double window, double clientCpu, double serverCpu, double machineBusy) {
        long sessions = 0;
        long bytes = 0;
        int total = 0;
        for (Recorder r : recs) {
            sessions += r.sessions;
            bytes += r.literalBytes;
        }
        long[] all = new long[0];
        for (Cmd cmd : Cmd.values()) {
            int n = 0;
            for (Recorder r : recs) {
                n += r.n[cmd.ordinal()];
            }
            long[] lat = new long[n];
            int k = 0;
            for (Recorder r : recs) {
                System.arraycopy(r.lat[cmd.ordinal()], 0, lat, k, r.n[cmd.ordinal()]);
                k += r.n[cmd.ordinal()];
            }
            Arrays.sort(lat);
            if (n > 0) {
                System.out.printf(Locale.ROOT, "# cmd=%s count=%d per_s=%.1f p50_ms=%s p90_ms=%s p99_ms=%s max_ms=%s%n",
                        cmd.name().toLowerCase(Locale.ROOT), n, n / window, ms(pct(lat, n, 50)),
                        ms(pct(lat, n, 90)), ms(pct(lat, n, 99)), ms(lat[n - 1]));
            }
            long[] merged = Arrays.copyOf(all, all.length + n);
            System.arraycopy(lat, 0, merged, all.length, n);
            all = merged;
            total += n;
        }
        Arrays.sort(all);
        if (errors.get() > 0) {
            System.out.println("# errors: " + errorKinds + " first: " + firstError.get());
        }
        System.out.printf(Locale.ROOT, "# client: cpu %.1f%% of one core over %.1fs (%d threads); machine busy %.0f%% of %d cpus%s%n",
                100 * clientCpu / window, window, o.clients, machineBusy, Runtime.getRuntime().availableProcessors(),
                o.serverPid > 0 ? String.format(Locale.ROOT, "; server pid %d tree cpu %.1f%% of one core",
                        o.serverPid, 100 * serverCpu / window) : "");
        StringBuilder line = new StringBuilder(head());
        line.append(String.format(Locale.ROOT,
                " sessions=%d sessions_per_s=%.2f commands=%d cmds_per_s=%.1f p50_ms=%s p99_ms=%s max_ms=%s"
                + " fetched_mib=%.1f errors=%d client_cpu_pct=%.1f",
                sessions, sessions / window, total, total / window, ms(pct(all, total, 50)),
                ms(pct(all, total, 99)), ms(total > 0 ? all[total - 1] : 0), bytes / 1048576.0,
                errors.get(), 100 * clientCpu / window));
        if (o.serverPid > 0) {
            line.append(String.format(Locale.ROOT, " server_cpu_pct=%.1f", 100 * serverCpu / window));
        }
        line.append(String.format(Locale.ROOT, " machine_busy_pct=%.0f", machineBusy));
        int rc = 0;
        if (total == 0) {
            line.append(" error=no_commands_completed");
            rc = 1;
        } else if (errorsInWindow.get() * 20 > sessions) {
            // More than one failed session in twenty: the figures describe failures, not a load.
            line.append(" error=too_many_errors");
            rc = 1;
        }
        line.append(" load1=").append(ProcStats.load1());
        System.out.println(line);
        return rc;
    }
}
