package org.postbus.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What Linux's /proc tells about a server and about this client: CPU time and memory of a process
 * together with its descendants. A multi-process server (Dovecot: master, login and one imap
 * process per session) only compares with a single JVM when its whole tree is counted.
 */
final class ProcStats {

    /** Clock ticks per second of /proc/PID/stat times; 100 on every Linux we run on. */
    private static final long TICK_NANOS = 10_000_000L;

    private ProcStats() {
    }

    /** One /proc/PID/stat line, the fields we use. */
    private record Stat(int pid, int ppid, long ticks, long childTicks) {
    }

    private static Stat stat(Path dir) {
        try {
            String s = Files.readString(dir.resolve("stat"));
            // The command name may hold spaces and parentheses: the fields start after the last ')'.
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            // f[0] is field 3 (state): ppid is field 4, utime..cstime fields 14..17.
            int pid = Integer.parseInt(dir.getFileName().toString());
            return new Stat(pid, Integer.parseInt(f[1]),
                    Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    Long.parseLong(f[13]) + Long.parseLong(f[14]));
        } catch (IOException | RuntimeException e) {
            return null; // gone meanwhile
        }
    }

    /** The process and all its live descendants. */
    static List<Integer> tree(int root) {
        Map<Integer, List<Integer>> children = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : ds) {
                Stat st = stat(d);
                if (st != null) {
                    children.computeIfAbsent(st.ppid(), k -> new ArrayList<>()).add(st.pid());
                }
            }
        } catch (IOException e) {
            return List.of(root);
        }
        List<Integer> out = new ArrayList<>();
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            int p = todo.poll();
            out.add(p);
            todo.addAll(children.getOrDefault(p, List.of()));
        }
        return out;
    }

    /**
     * CPU nanoseconds used by the tree: its live processes' own time plus what they have reaped
     * from children that have exited (Dovecot's per-session imap processes end up there).
     */
    static long treeCpuNanos(int root) {
        long ticks = 0;
        for (int p : tree(root)) {
            Stat st = stat(Path.of("/proc", Integer.toString(p)));
            if (st != null) {
                ticks += st.ticks() + st.childTicks();
            }
        }
        return ticks * TICK_NANOS;
    }

    /** A value in kB from /proc/PID/status (e.g. VmRSS), or -1. */
    static long statusKb(int pid, String key) {
        return fieldKb(Path.of("/proc", Integer.toString(pid), "status"), key);
    }

    private static long fieldKb(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key + ":")) {
                    String v = line.substring(key.length() + 1).trim();
                    return Long.parseLong(v.split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone or the kernel has no such field
        }
        return -1;
    }

    /** Sum of VmRSS over the tree (counts shared pages once per process). */
    static long treeRssKb(int root) {
        long sum = 0;
        for (int p : tree(root)) {
            sum += Math.max(0, statusKb(p, "VmRSS"));
        }
        return sum;
    }

    /** Sum of the proportional set size over the tree: shared pages split between sharers. */
    static long treePssKb(int root) {
        long sum = 0;
        for (int p : tree(root)) {
            sum += Math.max(0, fieldKb(Path.of("/proc", Integer.toString(p), "smaps_rollup"), "Pss"));
        }
        return sum;
    }

    /** Whole machine: {busy, total} jiffies from /proc/stat. */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** CPU time of this JVM so far. */
    static long selfCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    static int selfPid() {
        return (int) ProcessHandle.current().pid();
    }

    static String load1() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "na";
        }
    }

    static boolean isJvm(int pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe"))
                    .getFileName().toString().equals("java");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Runs a tool (jcmd, jstat) and returns its output, or null when it fails. */
    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Heap in use in a JVM after a full collection (jcmd GC.run, then jstat -gc: survivor, eden
     * and old used), in kB; -1 when the tools cannot attach.
     */
    static long heapAfterGcKb(int pid) {
        if (run("jcmd", Integer.toString(pid), "GC.run") == null) {
            return -1;
        }
        String gc = run("jstat", "-gc", Integer.toString(pid));
        if (gc == null) {
            return -1;
        }
        String[] lines = gc.trim().split("\n");
        if (lines.length < 2) {
            return -1;
        }
        String[] names = lines[0].trim().split("\\s+");
        String[] vals = lines[1].trim().split("\\s+");
        double used = 0;
        for (int i = 0; i < names.length && i < vals.length; i++) {
            if (names[i].equals("S0U") || names[i].equals("S1U") || names[i].equals("EU")
                    || names[i].equals("OU")) {
                used += Double.parseDouble(vals[i]);
            }
        }
        return Math.round(used);
    }

    static String mb(long kb) {
        return kb < 0 ? "na" : String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }
}
