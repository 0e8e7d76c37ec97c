package org.postbus.admin.internal.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ModifiedUtf7Test {

    @Test
    void namesAsImapWritesThemAreDecoded() {
        assertEquals("Entwürfe", ModifiedUtf7.decode("Entw&APw-rfe"));
        assertEquals("~peter/mail/台北/日本語", ModifiedUtf7.decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-"));
        assertEquals("Tom & Jerry", ModifiedUtf7.decode("Tom &- Jerry"));
        assertEquals("😀", ModifiedUtf7.decode("&2D3eAA-"));
    }

    @Test
    void encodingIsTheInverse() {
        for (String name : new String[] {"Entwürfe", "台北", "Tom & Jerry", "plain", "😀 smile", "Ünïcödé & more"}) {
            assertEquals(name, ModifiedUtf7.decode(ModifiedUtf7.encode(name)));
        }
        assertEquals("Entw&APw-rfe", ModifiedUtf7.encode("Entwürfe"));
        assertEquals("a&AC4-b", ModifiedUtf7.encode("a.b", "."));
        assertEquals("a.b", ModifiedUtf7.decode("a&AC4-b"));
    }

    @Test
    void whatIsNotModifiedUtf7IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("Entwürfe"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("a&APw"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("a&A-"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("a&AP=-"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("&2D0-"));
    }
}
