package org.postbus.smtp.internal.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.MailAddress;

class ReceivedHeaderTest {

    private static final ZonedDateTime TIME = ZonedDateTime.of(2026, 12, 1, 9, 5, 7, 0, ZoneOffset.ofHours(1));

    @Test
    void fieldWithOneRecipient() throws Exception {
        String field = new String(ReceivedHeader.of("client.test", InetAddress.getByName("192.0.2.1"), "mx.example.org",
                "ESMTPSA", "ID1", Optional.of(MailAddress.parse("a@example.org")), TIME), StandardCharsets.UTF_8);
        assertEquals("Received: from client.test ([192.0.2.1])\r\n\tby mx.example.org (Postbus) with ESMTPSA id ID1\r\n"
                + "\tfor <a@example.org>;\r\n\tTue, 1 Dec 2026 09:05:07 +0100\r\n", field);
    }

    @Test
    void hostileHeloCannotBreakTheField() throws Exception {
        String field = new String(ReceivedHeader.of("evil\r\nX-Bad: 1 (x);", InetAddress.getByName("::1"),
                "mx", "SMTP", "ID2", Optional.empty(), TIME), StandardCharsets.UTF_8);
        assertEquals("Received: from evil??X-Bad:?1??x?? ([IPv6:0:0:0:0:0:0:0:1])\r\n\tby mx (Postbus) with SMTP id ID2;"
                + "\r\n\tTue, 1 Dec 2026 09:05:07 +0100\r\n", field);
    }

    @Test
    void protocolNames() {
        assertEquals(List.of("SMTP", "ESMTP", "ESMTPS", "ESMTPA", "ESMTPSA", "UTF8SMTPS"), List.of(
                ReceivedHeader.protocol(false, false, true, true), ReceivedHeader.protocol(true, false, false, false),
                ReceivedHeader.protocol(true, false, true, false), ReceivedHeader.protocol(true, false, false, true),
                ReceivedHeader.protocol(true, false, true, true), ReceivedHeader.protocol(true, true, true, false)));
    }
}
