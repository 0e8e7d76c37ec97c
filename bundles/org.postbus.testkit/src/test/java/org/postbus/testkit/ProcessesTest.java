package org.postbus.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real programs: input, output, exit code, environment and working directory arrive. */
class ProcessesTest {

    @TempDir
    Path dir;

    @Test
    void feedsInputAndCollectsOutputAndExitCode() throws Exception {
        Processes.Result cat = Processes.run(List.of("sh", "-c", "cat; echo oops >&2; exit 3"), "hello\n");
        assertEquals(3, cat.exitCode());
        assertEquals("hello\noops\n", cat.output());
    }

    @Test
    void passesEnvironmentAndWorkingDirectory() throws Exception {
        Processes.Result pwd = Processes.run(List.of("sh", "-c", "echo $POSTBUS_TEST; pwd"),
                Map.of("POSTBUS_TEST", "value"), dir);
        assertEquals(0, pwd.exitCode());
        assertEquals("value\n" + dir.toRealPath() + "\n", pwd.output());
    }

    @Test
    void findsInstalledPrograms() {
        assertTrue(Processes.installed("sh"));
        assertFalse(Processes.installed("no-such-program-postbus"));
    }
}
