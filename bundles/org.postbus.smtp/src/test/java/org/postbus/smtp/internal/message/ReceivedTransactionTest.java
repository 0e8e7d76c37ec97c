package org.postbus.smtp.internal.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceivedTransactionTest {

    @Test
    void headerReadsOnlyTheHeaderSectionUnfolded() throws Exception {
        byte[] message = ("Received: from a\r\n\tby b; now\r\nSubject: first\r\n  part\r\nsubject: second\r\n"
                + "X-Empty:\r\n\r\nSubject: not a header\r\n").getBytes(StandardCharsets.UTF_8);
        ReceivedTransaction transaction = new ReceivedTransaction(new ReceivedTransaction.Envelope("ID",
                Optional.empty(), List.of(), InetAddress.getLoopbackAddress(), "helo", Optional.empty(), false),
                new MemoryContent(message, message.length));
        assertEquals(List.of("first  part", "second"), transaction.header("SUBJECT"));
        assertEquals(List.of("from a\tby b; now"), transaction.header("received"));
        assertEquals(List.of(""), transaction.header("x-empty"));
        assertEquals(List.of(), transaction.header("to"));
    }
}
