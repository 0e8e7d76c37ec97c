package org.postbus.smtp.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postbus.api.mail.MailAddress;

class PathParserTest {

    @Test
    void plainAddressAndParameters() throws Refusal {
        PathParser.Path path = PathParser.parse("<Alice@Example.ORG> SIZE=10  BODY=8BITMIME", false, "5.1.7");
        assertEquals(new MailAddress("Alice", "example.org"), path.address().orElseThrow());
        assertEquals("Alice", path.address().orElseThrow().localPart());
        assertEquals("SIZE=10  BODY=8BITMIME", path.parameters());
    }

    @Test
    void nullPathAndPostmaster() throws Refusal {
        assertTrue(PathParser.parse("<>", false, "5.1.7").address().isEmpty());
        assertTrue(PathParser.parse("<PostMaster>", false, "5.1.3").postmaster());
    }

    @Test
    void sourceRouteIsIgnored() throws Refusal {
        assertEquals(MailAddress.parse("u@c.test"),
                PathParser.parse("<@a.test,@b.test:u@c.test>", false, "5.1.3").address().orElseThrow());
    }

    @Test
    void quotedLocalPartMayHoldSpacesAndBrackets() throws Refusal {
        MailAddress address = PathParser.parse("<\"john >doe\\\"\"@example.org>", false, "5.1.3").address().orElseThrow();
        assertEquals("\"john >doe\\\"\"", address.localPart());
    }

    @Test
    void addressLiterals() throws Refusal {
        assertEquals("[192.0.2.1]", PathParser.parse("<u@[192.0.2.1]>", false, "5.1.3").address().orElseThrow().domain());
        assertEquals("[ipv6:2001:db8::1]", PathParser.parse("<u@[IPv6:2001:db8::1]>", false, "5.1.3")
                .address().orElseThrow().domain());
    }

    @Test
    void utf8OnlyWithSmtputf8() throws Refusal {
        assertEquals(553, assertThrows(Refusal.class, () -> PathParser.parse("<jürgen@bücher.de>", false, "5.1.3"))
                .reply().code());
        assertEquals("bücher.de", PathParser.parse("<jürgen@bücher.de>", true, "5.1.3").address().orElseThrow().domain());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "<a@b", "<a>", "<@a>", "<a@>", "<.a@b>", "<a.@b>", "<a..b@c>", "<a b@c>",
        "<a@b..c>", "<a@-b>", "<a@b_c>", "<a@[300.1.1.1]>", "<a@b>x", "<\"a@b>", "<a@b@c>"})
    void malformedPathsAreRefused(String text) {
        Refusal refusal = assertThrows(Refusal.class, () -> PathParser.parse(text, false, "5.1.3"));
        assertEquals(501, refusal.reply().code(), text);
    }

    @Test
    void overlongLocalPartIsRefused() {
        assertThrows(Refusal.class, () -> PathParser.parse("<" + "a".repeat(65) + "@b.test>", false, "5.1.3"));
    }
}
