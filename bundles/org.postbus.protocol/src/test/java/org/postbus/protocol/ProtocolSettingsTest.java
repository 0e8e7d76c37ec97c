package org.postbus.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProtocolSettingsTest {

    @Test
    void nameIsTheConfiguredOneElseThePidsFactoryPartElseTheFallback() {
        assertEquals("edge", ProtocolSettings.name(" edge ", "org.postbus.smtp.listener~mta", "smtp"));
        assertEquals("mta", ProtocolSettings.name("", "org.postbus.smtp.listener~mta", "smtp"));
        assertEquals("smtp", ProtocolSettings.name(null, "org.postbus.smtp.listener~", "smtp"));
        assertEquals("smtp", ProtocolSettings.name(null, "org.postbus.smtp.listener", "smtp"));
        assertEquals("smtp", ProtocolSettings.name(null, null, "smtp"));
    }

    @Test
    void requireNamesTheInvalidValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProtocolSettings.require(false, "port must be 0 to 65535: 70000"));
        assertEquals("port must be 0 to 65535: 70000", e.getMessage());
        ProtocolSettings.require(true, "not thrown");
    }
}
