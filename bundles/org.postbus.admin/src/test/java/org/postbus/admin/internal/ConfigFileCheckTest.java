package org.postbus.admin.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileCheckTest {

    @TempDir
    Path etc;

    private String problem(String name, String text) throws IOException {
        Path file = etc.resolve(name);
        Files.writeString(file, text);
        return ConfigFileCheck.problem(file);
    }

    @Test
    void wellFormedFilesPass() throws IOException {
        assertNull(problem("a.cfg", "port = $[env:PORT;default=25]\nname = x\n"));
        assertNull(problem("b.config", "port=I\"25\"\nlist=[\"a\",\"b\"]\n"));
    }

    @Test
    void aBrokenTypedFileIsReportedWithTheReason() throws IOException {
        String problem = problem("c.config", "port=I\"25\nother=\"x\n");
        assertNotNull(problem);
    }

    @Test
    void aBrokenUnicodeEscapeIsReported() throws IOException {
        String problem = problem("d.cfg", "name = \\u00zz\n");
        assertNotNull(problem);
        assertTrue(problem.toLowerCase().contains("unicode") || problem.toLowerCase().contains("malformed"), problem);
    }
}
