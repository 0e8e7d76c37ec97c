package org.postbus.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolsTest {

    @Test
    void defaultIsTls13AndTls12() {
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), Protocols.select(List.of("TLSv1.3", "TLSv1.2")));
    }

    @Test
    void nothingBelowTls12() {
        assertEquals(List.of("TLSv1.2"), Protocols.select(List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "SSLv2Hello")));
    }

    @Test
    void unknownNamesAreDroppedAndOrderKept() {
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), Protocols.select(List.of(" TLSv1.2 ", "TLSv9", "TLSv1.3", "TLSv1.2", "")));
    }

    @Test
    void nothingUsableFallsBackToTheDefault() {
        assertEquals(Protocols.DEFAULT, Protocols.select(List.of("TLSv1", "SSLv3")));
        assertEquals(Protocols.DEFAULT, Protocols.select(Arrays.asList((String) null)));
        assertEquals(Protocols.DEFAULT, Protocols.select(List.of()));
    }
}
