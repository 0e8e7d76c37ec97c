package org.postbus.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many idle IMAP clients from one process: opens N connections (LOGIN, SELECT INBOX, IDLE) with a
 * few setup threads, then holds them all on one selector thread, and reports what the server
 * needs for them: resident memory of its process tree before and after, and for a JVM the heap in
 * use after a full collection. It then appends a message to one user's INBOX from a separate
 * connection and times how fast that user's idle clients hear of it (EXISTS). Run through
 * bench/idle.sh.
 */
public final class ImapIdle {

    private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID \\d+ (\\d+)\\]",
            Pattern.CASE_INSENSITIVE);

    /** One held connection. */
    private static final class Held {
        final SocketChannel ch;
        final int user;
        String tail = "";
        volatile long existsAt;

        Held(SocketChannel ch, int user) {
            this.ch = ch;
            this.user = user;
        }

        /** Looks for EXISTS in newly read text, across read boundaries. */
        void saw(String text) {
            String t = tail + text;
            if (existsAt == 0 && t.contains(" EXISTS")) {
                existsAt = System.nanoTime();
            }
            tail = t.length() > 8 ? t.substring(t.length() - 8) : t;
        }
    }

    private String host = "127.0.0.1";
    private int port = 143;
    private int connections = 10_000;
    private int users = 50;
    private int firstUser = 1;
    private String userFormat = "user%d";
    private String password = "pass";
    private int setupThreads = 16;
    private int maxFailures = 20;
    private double settle = 5;
    private double hold = 0;
    private int serverPid;
    private boolean wake = true;
    private String label = "idle";
    private int timeoutMs = 15_000;
    private double wakeWait = 3;

    private final AtomicInteger closedByServer = new AtomicInteger();
    private volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        ImapIdle b = new ImapIdle();
        b.parse(args);
        System.exit(b.run());
    }

    private void parse(String[] args) {
        List<String> pos = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                pos.add(a);
                continue;
            }
            if (a.equals("--no-wake")) {
                wake = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--connections" -> connections = Integer.parseInt(v);
                case "--users" -> users = Integer.parseInt(v);
                case "--first-user" -> firstUser = Integer.parseInt(v);
                case "--user-format" -> userFormat = v;
                case "--password" -> password = v;
                case "--setup-threads" -> setupThreads = Integer.parseInt(v);
                case "--max-failures" -> maxFailures = Integer.parseInt(v);
                case "--settle" -> settle = Double.parseDouble(v);
                case "--hold" -> hold = Double.parseDouble(v);
                case "--server-pid" -> serverPid = Integer.parseInt(v);
                case "--label" -> label = v;
                case "--timeout" -> timeoutMs = (int) (Double.parseDouble(v) * 1000);
                case "--wake-wait" -> wakeWait = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (pos.size() > 0) {
            host = pos.get(0);
        }
        if (pos.size() > 1) {
            port = Integer.parseInt(pos.get(1));
        }
        if (pos.size() > 2) {
            serverPid = Integer.parseInt(pos.get(2));
        }
    }

    private String head() {
        return String.format(Locale.ROOT, "idle label=%s host=%s port=%d connections=%d users=%d server_pid=%d",
                label, host, port, connections, users, serverPid);
    }

    /** Server memory now: {pid rss, tree rss, tree pss, processes, heap after GC} in kB. */
    private long[] serverMemory(boolean jvm) {
        if (serverPid <= 0) {
            return new long[] {-1, -1, -1, 0, -1};
        }
        long heap = jvm ? ProcStats.heapAfterGcKb(serverPid) : -1;
        return new long[] {ProcStats.statusKb(serverPid, "VmRSS"), ProcStats.treeRssKb(serverPid),
            ProcStats.treePssKb(serverPid), ProcStats.tree(serverPid).size(), heap};
    }

    private int run() throws Exception {
        boolean jvm = serverPid > 0 && ProcStats.isJvm(serverPid);
        if (serverPid > 0 && ProcStats.statusKb(serverPid, "VmRSS") < 0) {
            System.out.println(head() + " error=no_such_process load1=" + ProcStats.load1());
            return 1;
        }
        long[] before = serverMemory(jvm);
        System.out.printf(Locale.ROOT, "# before: server rss %s MiB, tree rss %s MiB, tree pss %s MiB (%d processes)%s%n",
                ProcStats.mb(before[0]), ProcStats.mb(before[1]), ProcStats.mb(before[2]), before[3],
                jvm ? ", heap after GC " + ProcStats.mb(before[4]) + " MiB" : "");

        Held[] held = new Held[connections];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long t0 = System.nanoTime();
        Thread[] threads = new Thread[setupThreads];
        for (int t = 0; t < setupThreads; t++) {
            threads[t] = new Thread(null, () -> {
                int i;
                while (failures.get() < maxFailures && (i = next.getAndIncrement()) < connections) {
                    try {
                        held[i] = open(i);
                        int k = opened.incrementAndGet();
                        if (k % 1000 == 0) {
                            System.out.printf(Locale.ROOT, "# %d idling after %.1fs%n", k, (System.nanoTime() - t0) / 1e9);
                        }
                    } catch (IOException | RuntimeException e) {
                        failures.incrementAndGet();
                        firstError.compareAndSet(null, "connection " + i + ": " + e);
                    }
                }
            }, "setup-" + t, 256 * 1024);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double setupS = (System.nanoTime() - t0) / 1e9;
        int n = opened.get();
        System.out.printf(Locale.ROOT, "# %d of %d connections idling after %.1fs, %d failed%s%n", n, connections,
                setupS, failures.get(), firstError.get() == null ? "" : " (first: " + firstError.get() + ")");

        if (n == 0) {
            String why = firstError.get() == null ? "" : ":" + firstError.get()
                    .replaceAll("^connection \\d+: ", "").replaceAll("[^A-Za-z0-9._:@-]+", "_");
            System.out.println(head() + " opened=0 failed=" + failures.get() + " error=no_connection_opened"
                    + (why.length() > 120 ? why.substring(0, 120) : why) + " load1=" + ProcStats.load1());
            return 1;
        }
        Selector selector = Selector.open();
        for (Held h : held) {
            if (h != null) {
                h.ch.configureBlocking(false);
                h.ch.register(selector, SelectionKey.OP_READ, h);
            }
        }
        Thread reader = new Thread(() -> readLoop(selector), "idle-reader");
        reader.start();

        Thread.sleep((long) (settle * 1000));
        long[] after = serverMemory(jvm);
        int alive = n - closedByServer.get();
        System.out.printf(Locale.ROOT, "# after %ss: server rss %s MiB, tree rss %s MiB, tree pss %s MiB (%d processes)%s; %d still open%n",
                settle, ProcStats.mb(after[0]), ProcStats.mb(after[1]), ProcStats.mb(after[2]), after[3],
                jvm ? ", heap after GC " + ProcStats.mb(after[4]) + " MiB" : "", alive);

        if (jvm) {
            String info = ProcStats.run("jcmd", Integer.toString(serverPid), "GC.heap_info");
            if (info != null) {
                for (String l : info.split("\n")) {
                    if (!l.isBlank() && !l.startsWith(serverPid + ":")) {
                        System.out.println("# heap_info: " + l.strip());
                    }
                }
            }
        }
        String wakeResult = "";
        if (wake && n > 0) {
            wakeResult = wakeCheck(held);
        }
        if (hold > 0) {
            Thread.sleep((long) (hold * 1000));
        }
        int stillOpen = n - closedByServer.get();
        running = false;
        selector.wakeup();
        reader.join(5000);
        for (Held h : held) {
            if (h != null) {
                try {
                    h.ch.close();
                } catch (IOException e) {
                    // closing down
                }
            }
        }
        selector.close();

        Runtime rt = Runtime.getRuntime();
        long clientRss = ProcStats.statusKb(ProcStats.selfPid(), "VmRSS");
        StringBuilder line = new StringBuilder(head());
        line.append(String.format(Locale.ROOT, " opened=%d failed=%d setup_s=%.1f setup_per_s=%.0f still_open=%d",
                n, failures.get(), setupS, n / Math.max(setupS, 1e-9), stillOpen));
        if (serverPid > 0) {
            line.append(" server_rss_mb=").append(ProcStats.mb(after[0]))
                .append(" server_rss_before_mb=").append(ProcStats.mb(before[0]))
                .append(" tree_rss_mb=").append(ProcStats.mb(after[1]))
                .append(" tree_pss_mb=").append(ProcStats.mb(after[2]))
                .append(" tree_pss_before_mb=").append(ProcStats.mb(before[2]))
                .append(" tree_procs=").append(after[3]);
            if (n > 0) {
                line.append(String.format(Locale.ROOT, " pss_per_conn_kb=%.1f", (after[2] - before[2]) / (double) n));
            }
            if (jvm) {
                line.append(" heap_used_mb=").append(ProcStats.mb(after[4]))
                    .append(" heap_before_mb=").append(ProcStats.mb(before[4]));
                if (n > 0 && after[4] >= 0 && before[4] >= 0) {
                    line.append(String.format(Locale.ROOT, " heap_per_conn_kb=%.1f", (after[4] - before[4]) / (double) n));
                }
            }
        }
        line.append(wakeResult);
        line.append(" client_rss_mb=").append(ProcStats.mb(clientRss))
            .append(" client_heap_mb=").append(ProcStats.mb((rt.totalMemory() - rt.freeMemory()) / 1024));
        int rc = 0;
        if (n == 0) {
            line.append(" error=no_connection_opened");
            rc = 1;
        } else if (n < connections) {
            line.append(" error=only_").append(n).append("_of_").append(connections).append("_opened");
            rc = 1;
        } else if (stillOpen < n) {
            line.append(" error=server_closed_").append(n - stillOpen);
            rc = 1;
        }
        line.append(" load1=").append(ProcStats.load1());
        System.out.println(line);
        return rc;
    }

    private String user(int k) {
        return ImapLoad.user(userFormat, k);
    }

    private Held open(int i) throws IOException {
        int u = firstUser + i % users;
        SocketChannel ch = SocketChannel.open();
        boolean ok = false;
        try {
            ch.socket().setSoTimeout(timeoutMs);
            ch.socket().setTcpNoDelay(true);
            ch.socket().connect(new InetSocketAddress(host, port), timeoutMs);
            // A small buffer: 10,000 of these clients must not be what limits the run.
            ImapClient c = new ImapClient(ch.socket(), 2048);
            c.greeting();
            c.command("login", "LOGIN " + ImapLoad.quote(user(u)) + " " + ImapLoad.quote(password));
            c.command("select", "SELECT INBOX");
            c.idle();
            Held h = new Held(ch, u);
            byte[] rest = c.pending();
            if (rest.length > 0) {
                h.saw(new String(rest, StandardCharsets.ISO_8859_1));
            }
            ok = true;
            return h;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    private void readLoop(Selector selector) {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        while (running) {
            try {
                selector.select(200);
                for (var it = selector.selectedKeys().iterator(); it.hasNext();) {
                    SelectionKey key = it.next();
                    it.remove();
                    Held h = (Held) key.attachment();
                    buf.clear();
                    int r;
                    try {
                        r = h.ch.read(buf);
                    } catch (IOException e) {
                        r = -1;
                    }
                    if (r < 0) {
                        closedByServer.incrementAndGet();
                        key.cancel();
                        h.ch.close();
                    } else if (r > 0) {
                        h.saw(new String(buf.array(), 0, r, StandardCharsets.ISO_8859_1));
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    System.out.println("# reader: " + e);
                }
            }
        }
    }

    /**
     * Appends one message to the first user's INBOX and waits up to --wake-wait seconds for that
     * user's idle clients to report EXISTS; the message is expunged again afterwards.
     */
    private String wakeCheck(Held[] held) {
        List<Held> watch = new ArrayList<>();
        for (Held h : held) {
            if (h != null && h.user == firstUser && h.ch.isOpen()) {
                h.existsAt = 0;
                watch.add(h);
            }
        }
        String u = user(firstUser);
        try {
            Socket s = new Socket();
            s.setSoTimeout(timeoutMs);
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            try (ImapClient c = new ImapClient(s, 64 * 1024)) {
                c.greeting();
                c.command("login", "LOGIN " + ImapLoad.quote(u) + " " + ImapLoad.quote(password));
                c.command("select", "SELECT INBOX");
                String msgId = "<idle-wake-" + System.nanoTime() + "@example.test>";
                byte[] msg = ("From: Bench <bench@example.test>\r\nTo: " + u + "\r\nSubject: wake up\r\n"
                        + "Message-ID: " + msgId + "\r\n\r\nAre you listening?\r\n").getBytes(StandardCharsets.US_ASCII);
                String tagged = c.append("INBOX", "\\Seen", msg);
                long t0 = System.nanoTime();
                long deadline = t0 + (long) (wakeWait * 1e9);
                while (System.nanoTime() < deadline && watch.stream().anyMatch(h -> h.existsAt == 0)) {
                    Thread.sleep(5);
                }
                int within1s = 0;
                int woken = 0;
                long maxMs = 0;
                for (Held h : watch) {
                    if (h.existsAt != 0) {
                        woken++;
                        long ms = Math.max(0, (h.existsAt - t0) / 1_000_000);
                        maxMs = Math.max(maxMs, ms);
                        if (ms <= 1000) {
                            within1s++;
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "# wake: APPEND to %s; %d of its %d idle clients saw EXISTS within 1 s, %d within %s s (slowest %d ms)%n",
                        u, within1s, watch.size(), woken, wakeWait, maxMs);
                Matcher m = APPENDUID.matcher(tagged);
                String uid = null;
                if (m.find()) {
                    uid = m.group(1);
                } else {
                    c.command("uid_search", "UID SEARCH HEADER Message-ID " + ImapLoad.quote(msgId));
                    if (c.lastSearch != null && !c.lastSearch.isBlank()) {
                        uid = c.lastSearch.trim().split(" ")[0];
                    }
                }
                if (uid != null) {
                    c.command("store", "UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)");
                    c.command("expunge", "EXPUNGE");
                } else {
                    System.out.println("# wake: could not find the appended message to expunge it");
                }
                c.command("logout", "LOGOUT");
                return String.format(Locale.ROOT, " wake_clients=%d wake_1s=%d wake_all=%d wake_max_ms=%d",
                        watch.size(), within1s, woken, woken > 0 ? maxMs : -1);
            }
        } catch (IOException e) {
            System.out.println("# wake check failed: " + e);
            return " wake_error=" + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return " wake_error=interrupted";
        }
    }
}
