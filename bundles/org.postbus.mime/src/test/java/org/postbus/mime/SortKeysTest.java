package org.postbus.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postbus.mime.internal.sort.BaseSubject;

class SortKeysTest {

    @Test
    void baseSubjectsOfRfc5256() {
        assertEquals("Plans", BaseSubject.of("Re: [list] Fwd: Re: Plans (fwd)"));
        assertEquals("x", BaseSubject.of("[fwd: Re: x]"));
        assertEquals("hi", BaseSubject.of("Re:Re: hi"));
        assertEquals("hi", BaseSubject.of("RE[2]: hi"));
        assertEquals("x", BaseSubject.of("Fw: x"));
        assertEquals("x y", BaseSubject.of("FWD:   x\t y  "));
        assertEquals("[PATCH]", BaseSubject.of("[PATCH]"), "a blob is kept when nothing else is left");
        assertEquals("fix it", BaseSubject.of("[PATCH 1/2] fix it"));
        assertEquals("Reply: x", BaseSubject.of("Reply: x"));
        assertEquals("Hello World", BaseSubject.of("  Hello   World  "));
        assertEquals("", BaseSubject.of(""));
        assertEquals("", BaseSubject.of("Re: "));
    }

    @Test
    void replyOrForwardMarkers() {
        assertTrue(BaseSubject.isReplyOrForward("Re: x"));
        assertTrue(BaseSubject.isReplyOrForward("[list] Fwd: x"));
        assertTrue(BaseSubject.isReplyOrForward("x (fwd)"));
        assertTrue(BaseSubject.isReplyOrForward("[fwd: x]"));
        assertFalse(BaseSubject.isReplyOrForward("[list] x"));
        assertFalse(BaseSubject.isReplyOrForward("Reply: x"));
    }

    @Test
    void keysOfAMessage() {
        MimeMessage m = MimeParserTest.parse("From: =?utf-8?q?J=C3=B6rg?= <Joerg@Example.DE>\r\n"
                + "To: group: <t@x>;, second@x\r\nCc: cc@example.com\r\n"
                + "Subject: Re: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nDate: Mon, 1 Jan 2024 10:00:00 +0100\r\n\r\n");
        SortKeys k = SortKeys.of(m);
        assertEquals("Grüße", k.baseSubject());
        assertEquals(Optional.of(Instant.parse("2024-01-01T09:00:00Z")), k.sentDate());
        assertEquals("Joerg", k.fromMailbox());
        assertEquals("group", k.toMailbox(), "a group sorts by its name, as in ENVELOPE");
        assertEquals("cc", k.ccMailbox());
        assertEquals("cc@example.com", SortKeys.of(MimeParserTest.parse("To: cc@example.com\r\n\r\n")).toDisplay(),
                "no display name: the addr-spec (RFC 5957)");
        assertEquals("Jörg", k.fromDisplay());
        assertEquals("group", k.toDisplay());
    }

    @Test
    void missingFieldsGiveEmptyKeys() {
        SortKeys k = SortKeys.of(MimeParserTest.parse("\r\n"));
        assertEquals(new SortKeys("", Optional.empty(), "", "", "", "", ""), k);
    }
}
