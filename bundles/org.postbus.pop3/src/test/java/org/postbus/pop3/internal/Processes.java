package org.postbus.pop3.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real client program and gives back its exit code and output. */
final class Processes {

    /** What a program did. */
    record Result(int exitCode, String output) {
    }

    private Processes() {
    }

    /** Whether {@code program} is installed here. */
    static boolean installed(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command} with extra environment, stdout and stderr together; kills it after 30 seconds. */
    static Result run(List<String> command, Map<String, String> environment, Path workDir)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output;
        try {
            output = process.getInputStream().readAllBytes();
        } finally {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        process.waitFor(5, TimeUnit.SECONDS);
        return new Result(process.isAlive() ? -1 : process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
