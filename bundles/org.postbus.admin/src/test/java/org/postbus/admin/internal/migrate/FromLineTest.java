package org.postbus.admin.internal.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FromLineTest {

    @Test
    void theDatesWritersUseAreRead() {
        assertEquals(Optional.of(Instant.parse("2024-01-04T09:15:00Z")), FromLine.date("From a@b Thu Jan  4 09:15:00 2024"));
        assertEquals(Optional.of(Instant.parse("2024-01-04T09:15:00Z")), FromLine.date("From - Thu Jan 04 09:15:00 2024"));
        assertEquals(Optional.of(Instant.parse("2024-01-04T08:15:00Z")), FromLine.date("From a@b Thu Jan  4 09:15:00 +0100 2024"));
        assertEquals(Optional.of(Instant.parse("2024-01-04T09:15:00Z")), FromLine.date("From a@b Thu Jan  4 09:15 2024"));
        assertEquals(Optional.of(Instant.parse("2024-01-04T10:15:00Z")), FromLine.date("From a@b Thu Jan  4 09:15:00 2024 -0100"));
        assertEquals(Optional.of(Instant.parse("2024-01-04T09:15:00Z")), FromLine.date("From MAILER-DAEMON Thu Jan  4 09:15:00 UTC 2024"));
    }

    @Test
    void linesWithoutADateHaveNone() {
        assertEquals(Optional.empty(), FromLine.date("From the desk of Alice"));
        assertEquals(Optional.empty(), FromLine.date("From a@b Thu Feb 30 09:15:00 2024"));
        assertEquals(Optional.empty(), FromLine.date(">From a@b Thu Jan  4 09:15:00 2024"));
    }

    @Test
    void theWrittenLineReadsBack() {
        Instant date = Instant.parse("2024-01-04T09:15:07Z");
        assertEquals("From MAILER-DAEMON Thu Jan  4 09:15:07 2024", FromLine.format(date));
        assertEquals(Optional.of(date), FromLine.date(FromLine.format(date)));
    }
}
