package org.postbus.delivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.postbus.api.delivery.DeliveryResult;
import org.postbus.api.delivery.DeliveryResult.Outcome;
import org.postbus.api.delivery.Verdict;

/** A filter's reply reaches the client as one safe line. */
class RepliesTest {

    @Test
    void aFiltersReplyIsPassedOn() {
        DeliveryResult r = Replies.fromFilter(Verdict.reject(550, "5.7.1", "Message refused as spam"), "t1");
        assertEquals(new DeliveryResult(Outcome.REJECTED, 550, "5.7.1", "Message refused as spam", "t1"), r);
        DeliveryResult d = Replies.fromFilter(Verdict.defer(451, "4.7.1", "Greylisted, try again later"), "t1");
        assertEquals(new DeliveryResult(Outcome.DEFERRED, 451, "4.7.1", "Greylisted, try again later", "t1"), d);
    }

    @Test
    void lineBreaksInAFiltersTextCannotInjectReplies() {
        DeliveryResult r = Replies.fromFilter(Verdict.reject(554, "5.7.1", "No\r\n250 2.0.0 OK"), "t1");
        assertEquals("No  250 2.0.0 OK", r.text());
        assertEquals("Caf? ?", Replies.printable("Café 😀"));
        assertEquals(Replies.MAX_TEXT, Replies.printable("y".repeat(1000)).length());
    }

    @Test
    void aMissingOrMismatchedEnhancedCodeBecomesTheUndefinedOne() {
        assertEquals("5.0.0", Replies.fromFilter(Verdict.reject(550, "", "x"), "t1").enhancedCode());
        assertEquals("5.0.0", Replies.fromFilter(Verdict.reject(550, "4.7.1", "x"), "t1").enhancedCode());
        assertEquals("4.0.0", Replies.fromFilter(Verdict.defer(450, "junk", "x"), "t1").enhancedCode());
        assertEquals("Message refused", Replies.fromFilter(Verdict.reject(550, "5.7.1", " "), "t1").text());
        assertEquals("Message deferred, try again later", Replies.fromFilter(Verdict.defer(450, "4.2.0", ""), "t1").text());
    }
}
