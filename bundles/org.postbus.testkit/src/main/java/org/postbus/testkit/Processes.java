package org.postbus.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real client program (python3, curl, fetchmail) and gives back its exit code and output. */
public final class Processes {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * What a finished program did.
     *
     * @param exitCode its exit code
     * @param output what it printed on stdout and stderr together
     */
    public record Result(int exitCode, String output) {
    }

    private Processes() {
    }

    /** Whether {@code program} is an executable on the {@code PATH}. */
    public static boolean installed(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command} with {@code stdin} (or nothing) as its input. */
    public static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        return run(command, stdin, Map.of(), null);
    }

    /** Runs {@code command} with extra environment variables, in {@code workDir} unless it is null. */
    public static Result run(List<String> command, Map<String, String> environment, Path workDir)
            throws IOException, InterruptedException {
        return run(command, null, environment, workDir);
    }

    /**
     * Runs {@code command} to its end and returns its exit code and output.
     *
     * @param stdin what to write to its input, or null for none
     * @param environment variables added to this JVM's environment
     * @param workDir its working directory, or null for this JVM's
     * @throws IOException if it cannot start, or is still running after a minute (it is killed)
     */
    public static Result run(List<String> command, String stdin, Map<String, String> environment, Path workDir)
            throws IOException, InterruptedException {
        // Output goes to a file rather than a pipe, so that a program that never closes its output
        // cannot block the test past the timeout, and a large output cannot block the program.
        Path output = Files.createTempFile("postbus-process", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process = builder.start();
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("did not finish in " + TIMEOUT.toSeconds() + " s: " + command + "\n"
                        + read(output));
            }
            return new Result(process.exitValue(), read(output));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    /** Reads leniently: a program may print bytes that are not UTF-8. */
    private static String read(Path output) throws IOException {
        return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
    }
}
