package org.postbus.admin.internal.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailboxInfo;

class MboxImporterTest {

    private static final MailAddress ALICE = MailAddress.parse("alice@example.org");

    @TempDir
    Path tmp;

    private final MemoryMailStore store = new MemoryMailStore();

    private ImportReport run(String mbox, String mailbox) throws Exception {
        Path file = Files.writeString(tmp.resolve("in.mbox"), mbox, StandardCharsets.UTF_8);
        return new MboxImporter(store).importMbox(ALICE, file, mailbox);
    }

    private String text(String mailbox, long uid) {
        return new String(store.box(ALICE, mailbox).messages.get(uid).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void mboxrdQuotingIsUndoneAndStatusHeadersBecomeFlags() throws Exception {
        String mbox = """
                From alice@example.org Thu Jan  4 09:15:00 2024
                From: alice@example.org
                Subject: one
                Status: RO
                X-Status: AF

                >From the start of a line
                >>From a quoted quote
                > From with a space stays
                a From in the middle stays

                From bob@example.org Fri Feb 16 17:05:42 2024
                From: bob@example.org
                Subject: two

                unread
                From - Sat Mar  2 08:00:00 +0100 2024
                Subject: three
                X-Status: DT
                X-Keywords: $Label1 Work

                draft
                """;

        ImportReport report = run(mbox, null);

        assertEquals(3, report.messages());
        assertFalse(report.mailboxes().get(0).uidsKept());
        MemoryMailStore.Box inbox = store.box(ALICE, "INBOX");
        assertEquals(List.of(1L, 2L, 3L), List.copyOf(inbox.messages.keySet()));
        assertEquals(Flags.of(Flag.SEEN, Flag.ANSWERED, Flag.FLAGGED), inbox.messages.get(1L).flags());
        assertEquals(Flags.NONE, inbox.messages.get(2L).flags());
        assertEquals(new Flags(Set.of(Flag.DELETED, Flag.DRAFT), Set.of("$Label1", "Work")), inbox.messages.get(3L).flags());
        assertEquals(Instant.parse("2024-01-04T09:15:00Z"), inbox.messages.get(1L).internalDate());
        assertEquals(Instant.parse("2024-02-16T17:05:42Z"), inbox.messages.get(2L).internalDate());
        assertEquals(Instant.parse("2024-03-02T07:00:00Z"), inbox.messages.get(3L).internalDate());
        assertEquals("From: alice@example.org\r\nSubject: one\r\nStatus: RO\r\nX-Status: AF\r\n\r\n"
                + "From the start of a line\r\n>From a quoted quote\r\n> From with a space stays\r\n"
                + "a From in the middle stays\r\n", text("INBOX", 1));
        assertEquals("From: bob@example.org\r\nSubject: two\r\n\r\nunread\r\n", text("INBOX", 2),
                "no separator line, and a From line without a blank line before it still starts a message");
    }

    @Test
    void aFromLineWithoutADateIsText() throws Exception {
        String mbox = "From alice@example.org Thu Jan  4 09:15:00 2024\nSubject: x\n\nFrom the desk of Alice\nbye\n";

        run(mbox, null);

        assertEquals("Subject: x\r\n\r\nFrom the desk of Alice\r\nbye\r\n", text("INBOX", 1));
    }

    @Test
    void theTargetMailboxIsCreatedWhenMissing() throws Exception {
        run("From a@b Thu Jan  4 09:15:00 2024\nSubject: x\n\nx\n", "Archiv/Alt");

        assertEquals(List.of("Archiv", "Archiv/Alt", "INBOX"), store.mailboxes(ALICE).stream().map(MailboxInfo::name).toList());
        assertEquals(1, store.box(ALICE, "Archiv/Alt").messages.size());
    }

    @Test
    void aFileThatIsNotAnMboxIsRefused() throws Exception {
        MigrationException e = assertThrows(MigrationException.class, () -> run("Hello, this is a letter.\n", null));
        assertTrue(e.getMessage().startsWith("not an mbox file") && e.getMessage().contains("Hello, this"), e.getMessage());

        e = assertThrows(MigrationException.class, () -> new MboxImporter(store).importMbox(ALICE, tmp, null));
        assertTrue(e.getMessage().endsWith("is not a file"), e.getMessage());

        e = assertThrows(MigrationException.class,
                () -> new MboxImporter(store).importMbox(ALICE, tmp.resolve("missing.mbox"), null));
        assertTrue(e.getMessage().startsWith("no such file"), e.getMessage());
        assertTrue(store.users().isEmpty());
    }

    @Test
    void anInvalidMailboxNameIsRefused() {
        MigrationException e = assertThrows(MigrationException.class,
                () -> run("From a@b Thu Jan  4 09:15:00 2024\nSubject: x\n\nx\n", "bad//name"));
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
    }

    @Test
    void anEmptyMessageIsSkipped() throws Exception {
        ImportReport report = run("From a@b Thu Jan  4 09:15:00 2024\nFrom a@b Thu Jan  4 09:16:00 2024\nSubject: x\n\nx\n", null);

        assertEquals(1, report.messages());
        assertEquals(1, report.skipped().size());
        assertEquals("empty message", report.skipped().get(0).reason());
    }
}
