package org.postbus.smtp.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void multiLineReplyRepeatsCodeAndStatus() {
        Reply reply = new Reply(250, "", List.of("mx.example Hello a", "PIPELINING", "CHUNKING"));
        assertEquals("250-mx.example Hello a\r\n250-PIPELINING\r\n250 CHUNKING\r\n",
                new String(reply.encode(), StandardCharsets.US_ASCII));
        assertEquals("550-5.1.1 a\r\n550 5.1.1 b\r\n",
                new String(new Reply(550, "5.1.1", List.of("a", "b")).encode(), StandardCharsets.US_ASCII));
    }

    @Test
    void controlCharactersCannotBreakTheReply() {
        assertEquals("554 5.7.1 spam  250 OK\r\n",
                new String(Reply.of(554, "5.7.1", "spam\r\n250 OK").encode(), StandardCharsets.US_ASCII));
    }
}
