package org.postbus.pop3.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyTest {

    private static String encoded(Reply reply) {
        return new String(reply.encode(), StandardCharsets.UTF_8);
    }

    @Test
    void encodesStatusLinesWithResponseCodes() {
        assertEquals("+OK\r\n", encoded(Reply.ok("")));
        assertEquals("+OK 2 320\r\n", encoded(Reply.ok("2 320")));
        assertEquals("-ERR [AUTH] Authentication failed\r\n", encoded(Reply.err(Reply.AUTH, "Authentication failed")));
        assertEquals("-ERR [SYS/TEMP] later\r\n", encoded(Reply.err(Reply.SYS_TEMP, "later")));
    }

    @Test
    void replacesControlCharactersSoNoLineCanBeInjected() {
        assertEquals("-ERR Invalid message number: a b\r\n", encoded(Reply.err("Invalid message number: a\r\nb")).replace("  ", " "));
    }
}
