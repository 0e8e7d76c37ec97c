package org.postbus.imap.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.MessageContent;
import org.postbus.mime.MimeMessage;
import org.postbus.mime.MimeParser;

class MessageCacheTest {

    private static final String MESSAGE = "From: a@example.org\r\nSubject: hello there\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b--\r\n";

    private static MessageContent content(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open(long from, long length) {
                return new ByteArrayInputStream(bytes, (int) from, (int) Math.min(length, bytes.length - from));
            }
        };
    }

    @Test
    void aFullParseReplacesAHeaderOnlyOneButNotTheOtherWayRound() throws Exception {
        MessageCache cache = new MessageCache(1 << 20);
        MimeMessage head = MimeParser.parseHeader(content(MESSAGE));
        MimeMessage full = MimeParser.parse(content(MESSAGE));
        cache.put("box", 1, head);
        assertNull(cache.get("box", 1), "a header-only parse is no answer to a structure question");
        assertSame(head, cache.header("box", 1));
        cache.put("box", 1, full);
        assertSame(full, cache.get("box", 1));
        assertSame(full, cache.header("box", 1));
        cache.put("box", 1, MimeParser.parseHeader(content(MESSAGE)));
        assertSame(full, cache.get("box", 1), "the full parse stays");
        assertEquals(MessageCache.estimate(full), cache.weight());
        assertTrue(MessageCache.estimate(full) > MessageCache.estimate(head));
    }

    @Test
    void staysWithinItsBudgetEvictingTheOldest() throws Exception {
        MimeMessage m = MimeParser.parse(content(MESSAGE));
        long each = MessageCache.estimate(m);
        MessageCache cache = new MessageCache(each * 10);
        for (long uid = 1; uid <= 100; uid++) {
            cache.put("box", uid, m);
        }
        assertEquals(10, cache.size());
        assertTrue(cache.weight() <= each * 10);
        assertNull(cache.get("box", 90));
        assertNotNull(cache.get("box", 100));
        cache.forget("box");
        assertEquals(0, cache.size());
        assertEquals(0, cache.weight());
    }
}
