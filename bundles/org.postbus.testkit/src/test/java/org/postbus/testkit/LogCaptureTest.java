package org.postbus.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is printed while capturing is kept and filtered by level; closing restores System.out. */
class LogCaptureTest {

    @Test
    void capturesLinesByLevelAndRestores() {
        PrintStream before = System.out;
        try (LogCapture log = new LogCapture()) {
            System.out.println("[main] WARN org.example - careful");
            System.out.println("[main] INFO org.example - fine");
            assertEquals(List.of("[main] WARN org.example - careful"), log.lines("WARN"));
            assertEquals(2, log.lines().size());
        }
        assertSame(before, System.out);
    }
}
