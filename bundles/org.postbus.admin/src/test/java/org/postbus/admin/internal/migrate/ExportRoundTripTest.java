package org.postbus.admin.internal.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;
import org.postbus.api.store.ImportedMessage;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MessageContent;

class ExportRoundTripTest {

    private static final MailAddress ALICE = MailAddress.parse("alice@example.org");

    @TempDir
    Path tmp;

    private MemoryMailStore source;

    private static MessageContent bytes(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override
            public long size() {
                return b.length;
            }

            @Override
            public java.io.InputStream open(long offset, long length) {
                return new java.io.ByteArrayInputStream(b, (int) offset, (int) Math.min(length, b.length - offset));
            }
        };
    }

    private static ImportedMessage message(long uid, String subject, String body, Flags flags, String date) {
        String text = "From: Alice <alice@example.org>\r\nSubject: " + subject + "\r\n\r\n" + body;
        return new ImportedMessage(uid, new AppendRequest(bytes(text), flags, Instant.parse(date)));
    }

    @BeforeEach
    void fill() throws Exception {
        source = new MemoryMailStore();
        source.importMailbox(ALICE, "INBOX", 4711, 40, List.of(
                message(3, "seen", "Hello\r\nFrom the start of a line\r\n>From quoted\r\n", Flags.of(Flag.SEEN), "2024-01-04T09:15:00Z"),
                message(17, "keywords", "x\r\n", new Flags(Set.of(Flag.FLAGGED, Flag.ANSWERED), Set.of("$Junk", "$Forwarded", "project-x")),
                        "2024-02-01T10:00:00Z"),
                message(39, "deleted draft", "no final line end", Flags.of(Flag.DELETED, Flag.DRAFT), "2024-03-01T11:30:00Z")));
        source.importMailbox(ALICE, "Entwürfe", 88, 3, List.of(message(2, "draft", "d\r\n", Flags.of(Flag.DRAFT), "2024-01-05T00:00:00Z")));
        source.importMailbox(ALICE, "Reports.2024/Q1", 91, 2, List.of(message(1, "dots", "q\r\n", Flags.NONE, "2024-04-01T00:00:00Z")));
        source.subscribe(ALICE, "INBOX", true);
        source.subscribe(ALICE, "Entwürfe", true);
        source.subscribe(ALICE, "Reports.2024/Q1", true);
    }

    private static List<String> names(MemoryMailStore store) {
        return store.mailboxes(ALICE).stream().map(MailboxInfo::name).toList();
    }

    @Test
    void aMaildirExportReimportsWithTheSameUidsFlagsDatesAndBytes() throws Exception {
        Path dir = tmp.resolve("export");
        ExportReport report = new MaildirExporter(source).exportMaildir(ALICE, dir);

        assertEquals(5, report.messages());
        assertEquals(List.of(), report.skipped());
        assertEquals(3, report.subscriptions());
        assertTrue(Files.isDirectory(dir.resolve(".Entw&APw-rfe/cur")));
        assertTrue(Files.isDirectory(dir.resolve(".Reports&AC4-2024.Q1/cur")));
        assertTrue(Files.isDirectory(dir.resolve(".Reports&AC4-2024/cur")), "the parent is a folder too");
        String uidList = Files.readString(dir.resolve("dovecot-uidlist"));
        assertTrue(uidList.matches("3 V4711 N40\n3 :1704359700\\.3_\\d+\\.postbus,S=\\d+,W=\\d+:2,S\n17 :.*\n39 :.*\n"), uidList);
        assertEquals("0 $Junk\n1 project-x\n", Files.readString(dir.resolve("dovecot-keywords")));
        List<String> files;
        try (Stream<Path> list = Files.list(dir.resolve("cur"))) {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(3, files.size());
        assertTrue(files.get(1).matches("1706781600\\.17_\\d+\\.postbus,S=\\d+,W=\\d+:2,FPRab"), files.get(1));
        Path first = dir.resolve("cur").resolve(files.get(0));
        assertEquals("From: Alice <alice@example.org>\nSubject: seen\n\nHello\nFrom the start of a line\n>From quoted\n",
                Files.readString(first), "LF line ends, no mbox quoting in a Maildir");
        assertEquals(Instant.parse("2024-01-04T09:15:00Z"), Files.getLastModifiedTime(first).toInstant());
        assertTrue(files.get(0).contains(",S=" + Files.size(first) + ","), files.get(0));
        assertEquals("Entw&APw-rfe\nINBOX\nReports&AC4-2024.Q1\n", Files.readString(dir.resolve("subscriptions")));

        MemoryMailStore target = new MemoryMailStore();
        ImportReport back = new MaildirImporter(target).importMaildir(ALICE, dir);

        assertEquals(List.of(), back.skipped());
        assertEquals(List.of(), back.notes());
        assertEquals(names(source), names(target));
        for (String name : List.of("INBOX", "Entwürfe", "Reports.2024/Q1")) {
            MemoryMailStore.Box before = source.box(ALICE, name);
            MemoryMailStore.Box after = target.box(ALICE, name);
            assertEquals(before.uidValidity, after.uidValidity, name);
            assertEquals(before.uidNext, after.uidNext, name);
            assertEquals(before.messages.keySet(), after.messages.keySet(), name);
            for (long uid : before.messages.keySet()) {
                MemoryMailStore.Stored b = before.messages.get(uid);
                MemoryMailStore.Stored a = after.messages.get(uid);
                assertEquals(b.flags(), a.flags(), name + " " + uid);
                assertEquals(b.internalDate(), a.internalDate(), name + " " + uid);
                assertArrayEquals(b.bytes(), a.bytes(), name + " " + uid);
            }
        }
        assertEquals(source.subscriptions(ALICE), target.subscriptions(ALICE));
        assertTrue(back.mailboxes().stream().filter(m -> m.messages() > 0).allMatch(ImportReport.MailboxImport::uidsKept));
    }

    @Test
    void anMboxExportReimportsWithTheSameFlagsDatesAndBodiesAndExportsAgainTheSame() throws Exception {
        Path dir = tmp.resolve("mbox");
        ExportReport report = new MboxExporter(source).exportMbox(ALICE, dir, null);

        assertEquals(5, report.messages());
        assertEquals(List.of("Entwürfe.mbox", "INBOX.mbox", "Reports.2024.mbox", "Reports.2024/Q1.mbox"),
                report.mailboxes().stream().map(ExportReport.MailboxExport::target).toList());
        String inbox = Files.readString(dir.resolve("INBOX.mbox"));
        assertEquals("""
                From MAILER-DAEMON Thu Jan  4 09:15:00 2024
                From: Alice <alice@example.org>
                Subject: seen
                Status: RO

                Hello
                >From the start of a line
                >>From quoted

                From MAILER-DAEMON Thu Feb  1 10:00:00 2024
                From: Alice <alice@example.org>
                Subject: keywords
                Status: O
                X-Status: AF
                X-Keywords: $Forwarded $Junk project-x

                x

                From MAILER-DAEMON Fri Mar  1 11:30:00 2024
                From: Alice <alice@example.org>
                Subject: deleted draft
                Status: O
                X-Status: TD

                no final line end

                """, inbox);

        MemoryMailStore target = new MemoryMailStore();
        new MboxImporter(target).importMbox(ALICE, dir.resolve("INBOX.mbox"), null);
        MemoryMailStore.Box before = source.box(ALICE, "INBOX");
        MemoryMailStore.Box after = target.box(ALICE, "INBOX");
        List<MemoryMailStore.Stored> was = new ArrayList<>(before.messages.values());
        List<MemoryMailStore.Stored> is = new ArrayList<>(after.messages.values());
        assertEquals(was.size(), is.size());
        for (int i = 0; i < was.size(); i++) {
            assertEquals(was.get(i).flags(), is.get(i).flags());
            assertEquals(was.get(i).internalDate(), is.get(i).internalDate());
            String withoutStatus = new String(is.get(i).bytes(), StandardCharsets.UTF_8)
                    .replaceAll("(?m)^(Status|X-Status|X-Keywords): .*\r\n", "");
            String original = new String(was.get(i).bytes(), StandardCharsets.UTF_8);
            assertEquals(original.endsWith("\r\n") ? original : original + "\r\n", withoutStatus);
        }

        Path again = tmp.resolve("again");
        new MboxExporter(target).exportMbox(ALICE, again, "INBOX");
        assertEquals(inbox, Files.readString(again.resolve("INBOX.mbox")), "status headers are replaced, not added");
    }

    @Test
    void anExportOverwritesNothing() throws Exception {
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("keep"), "mine");
        MigrationException e = assertThrows(MigrationException.class,
                () -> new MaildirExporter(source).exportMaildir(ALICE, full));
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());

        Files.writeString(full.resolve("INBOX.mbox"), "mine");
        e = assertThrows(MigrationException.class, () -> new MboxExporter(source).exportMbox(ALICE, full, null));
        assertTrue(e.getMessage().contains("INBOX.mbox exists"), e.getMessage());
        assertEquals(Set.of("keep", "INBOX.mbox"), listing(full));

        e = assertThrows(MigrationException.class, () -> new MboxExporter(source).exportMbox(ALICE, tmp.resolve("x"), "Nope"));
        assertTrue(e.getMessage().contains("no mailbox 'Nope'"), e.getMessage());
    }

    @Test
    void keywordsBeyondTwentySixAreLeftOutOfAMaildirAndNoted() throws Exception {
        Set<String> many = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            many.add("k" + (char) ('a' + i % 26) + i);
        }
        MemoryMailStore store = new MemoryMailStore();
        store.importMailbox(ALICE, "INBOX", 1, 2, List.of(message(1, "many", "m\r\n", new Flags(Set.of(), many), "2024-01-01T00:00:00Z")));

        ExportReport report = new MaildirExporter(store).exportMaildir(ALICE, tmp.resolve("k"));

        assertEquals(26, Files.readAllLines(tmp.resolve("k/dovecot-keywords")).size());
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("at most 26 keywords")), report.notes().toString());
    }

    private static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return new HashSet<>(list.map(p -> p.getFileName().toString()).toList());
        }
    }
}
