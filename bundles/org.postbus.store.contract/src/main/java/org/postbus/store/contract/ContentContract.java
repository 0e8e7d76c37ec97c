package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate.Mode;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException.Reason;

/**
 * Message content and the metadata that comes with it.
 *
 * <p>Semantics settled here: the store keeps the bytes exactly as given (no line-end or charset
 * conversion); {@code open(offset, length)} with {@code offset} at or past the end gives an empty
 * stream, not an error; internal dates are kept at least to the second; two different messages
 * get different EMAILIDs.
 */
abstract class ContentContract extends ContractSupport {

    static final int LARGE_SIZE = 5 * 1024 * 1024;

    @Test
    void contentComesBackExactly() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        byte[] bytes = message("exact", 1234);
        MessageMeta meta = append(inbox, bytes, Flags.NONE);
        assertEquals(bytes.length, meta.size(), "size returned by append");
        assertEquals(bytes.length, meta(inbox, meta.uid()).size(), "size as listed");
        assertContent(bytes, inbox, meta.uid(), "content as appended");
        MessageContent content = inbox.content(meta.uid());
        assertArrayEquals(bytes, read(content), "a second read of the same content gives the same bytes");
        assertEquals(bytes.length, inbox.status().size(), "mailbox size is the message's size");
    }

    @Test
    void contentReadsByteRanges() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        byte[] bytes = message("ranges", 1000);
        MessageContent content = inbox.content(append(inbox, bytes, Flags.NONE).uid());
        assertArrayEquals(Arrays.copyOfRange(bytes, 0, 10), read(content, 0, 10), "first 10 bytes");
        assertArrayEquals(Arrays.copyOfRange(bytes, 500, 507), read(content, 500, 7), "7 bytes from offset 500");
        assertArrayEquals(Arrays.copyOfRange(bytes, 990, 1000), read(content, 990, 100),
                "a range running past the end stops at the end");
        assertArrayEquals(Arrays.copyOfRange(bytes, 10, 1000), read(content, 10, Long.MAX_VALUE),
                "Long.MAX_VALUE length means the rest");
        assertArrayEquals(new byte[0], read(content, 1000, 10), "offset at the end: empty");
        assertArrayEquals(new byte[0], read(content, 5000, 10), "offset past the end: empty");
        assertArrayEquals(new byte[0], read(content, 20, 0), "length 0: empty");
    }

    @Test
    void crlfAndEightBitBytesAreKept() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.de>\r\nSubject: Grüße\r\n"
                + "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        for (int b = 0x80; b <= 0xFF; b++) {
            out.write(b);
            if (b % 16 == 15) {
                out.write('\r');
                out.write('\n');
            }
        }
        out.writeBytes("\r\n\r\n.\r\n..leading dot\r\nFrom the start of a line\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = out.toByteArray();

        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta meta = append(inbox, bytes, Flags.NONE);
        assertEquals(bytes.length, meta.size(), "size counts every byte, 8-bit ones too");
        assertContent(bytes, inbox, meta.uid(), "CRLF, 8-bit bytes, dots and 'From ' lines");
    }

    @Test
    void largeMessageIsStreamedWhole() throws Exception {
        byte[] bytes = largeMessage();
        String digest = sha256(new ByteArrayInputStream(bytes));
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta meta = append(inbox, bytes, Flags.NONE);
        assertEquals(LARGE_SIZE, meta.size(), "size of the 5 MiB message");
        MessageContent content = inbox.content(meta.uid());
        assertEquals(LARGE_SIZE, content.size(), "content size of the 5 MiB message");
        assertEquals(digest, sha256(content.open()), "SHA-256 of the 5 MiB message read back");
        int offset = 4 * 1024 * 1024 + 17;
        assertArrayEquals(Arrays.copyOfRange(bytes, offset, offset + 1000), read(content, offset, 1000),
                "1000 bytes from deep inside the 5 MiB message");
    }

    @Test
    void missingUidIsNonexistent() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta meta = append(inbox, "soon gone");
        expectFailure(Reason.NONEXISTENT, "content of a UID never assigned", () -> inbox.content(meta.uid() + 1000));
        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), meta.uid());
        inbox.expunge(null);
        expectFailure(Reason.NONEXISTENT, "content of an expunged UID", () -> inbox.content(meta.uid()));
    }

    @Test
    void metadataDescribesTheMessage() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        Instant date = Instant.parse("2021-07-04T12:34:56Z");
        byte[] first = message("first");
        MessageMeta a = inbox.append(new AppendRequest(content(first), Flags.of(Flag.SEEN), date));
        MessageMeta b = append(inbox, "second");
        assertEquals(date, a.internalDate(), "internal date as given at APPEND");
        assertEquals(date, meta(inbox, a.uid()).internalDate(), "internal date as listed");
        assertEquals(first.length, a.size(), "size");
        assertFalse(a.emailId().isBlank(), "EMAILID present");
        assertFalse(a.threadId().isBlank(), "THREADID present");
        assertNotEquals(a.emailId(), b.emailId(), "two different messages have different EMAILIDs");
        assertEquals(Seen.of(List.of(a, b)), Seen.of(all(inbox)), "listed metadata is what append returned");
    }

    /** A 5 MiB message of numbered 78-character lines, so that a misplaced block shows. */
    static byte[] largeMessage() {
        byte[] bytes = new byte[LARGE_SIZE];
        byte[] head = "From: big@example.com\r\nSubject: five mebibytes\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, bytes, 0, head.length);
        int pos = head.length;
        for (int line = 0; pos < LARGE_SIZE; line++) {
            byte[] text = String.format("%08d %068d\r\n", line, (long) line * 7919L).getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(text.length, LARGE_SIZE - pos);
            System.arraycopy(text, 0, bytes, pos, n);
            pos += n;
        }
        bytes[LARGE_SIZE - 2] = '\r';
        bytes[LARGE_SIZE - 1] = '\n';
        return bytes;
    }
}
