package org.postbus.admin.internal.migrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.admin.internal.migrate.ImportReport.MailboxImport;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;

class MaildirImporterTest {

    private static final MailAddress ALICE = MailAddress.parse("alice@example.org");
    private static final Instant T1 = Instant.parse("2023-11-14T22:13:20Z");
    private static final Instant T2 = Instant.parse("2023-11-15T08:00:00Z");
    private static final Instant T3 = Instant.parse("2023-11-16T09:30:00Z");

    @TempDir
    Path tmp;

    private MemoryMailStore store;
    private MaildirFixture maildir;

    @BeforeEach
    void setUp() throws IOException {
        store = new MemoryMailStore();
        maildir = new MaildirFixture(tmp.resolve("Maildir"));
    }

    private ImportReport run() throws MigrationException {
        return new MaildirImporter(store).importMaildir(ALICE, maildir.root);
    }

    private static MailboxImport mailbox(ImportReport report, String name) {
        return report.mailboxes().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no mailbox " + name + " in " + report.mailboxes()));
    }

    private static Flags flags(Set<Flag> system, String... keywords) {
        return new Flags(system, Set.of(keywords));
    }

    @Test
    void aDovecotMaildirKeepsItsUidsFlagsKeywordsDatesAndFolders() throws Exception {
        Path inbox = maildir.root;
        String m1 = MaildirFixture.mail("first", "Hello\nsecond line\n");
        String m2 = MaildirFixture.mail("second", "Flagged and answered\n");
        String m3 = MaildirFixture.mail("third", "Still new\n");
        maildir.message(inbox, "cur", "1700000000.M1P100.mail,S=" + m1.length() + ",W=" + MaildirFixture.crlf(m1).length() + ":2,S", m1, T1);
        maildir.message(inbox, "cur", "1700000100.M2P100.mail:2,FRab", m2, T2);
        maildir.message(inbox, "new", "1700000200.M3P100.mail", m3, T3);
        maildir.file(inbox, "dovecot-uidlist", "3 V1234567 N12 G3085f01b7f11094c501100008c4a11c1\n"
                + "3 :1700000000.M1P100.mail,S=" + m1.length() + ",W=" + MaildirFixture.crlf(m1).length() + ":2,S\n"
                + "5 :1700000050.M9P100.mail:2,S\n"
                + "7 W140 :1700000100.M2P100.mail\n"
                + "9 :1700000200.M3P100.mail\n");
        maildir.file(inbox, "dovecot-keywords", "0 $Junk\n1 project-x\n");

        Path drafts = maildir.folder(".Entw&APw-rfe");
        String d1 = MaildirFixture.mail("draft", "Not yet\n");
        maildir.message(drafts, "cur", "1700000300.M4P100.mail:2,DS", d1, T1);
        maildir.file(drafts, "dovecot-uidlist", "3 V55 N3\n2 :1700000300.M4P100.mail:2,DS\n");

        Path archive = maildir.folder(".Archiv.2023");
        String a1 = MaildirFixture.mail("older", "forwarded\n");
        String a2 = MaildirFixture.mail("newer", "to be deleted\n");
        maildir.message(archive, "cur", "1690000500.M6.mail:2,T", a2, T3);
        maildir.message(archive, "cur", "1690000000.M5.mail:2,PS", a1, T2);

        maildir.folder(".Leer");
        maildir.file(inbox, "subscriptions", "INBOX\nEntw&APw-rfe\nArchiv.2023\n");

        ImportReport report = run();

        assertEquals(List.of("Archiv", "Archiv/2023", "Entwürfe", "INBOX", "Leer"),
                store.mailboxes(ALICE).stream().map(MailboxInfo::name).toList());
        assertEquals(6, report.messages());
        assertEquals(List.of(), report.skipped());

        MailboxImport inboxReport = mailbox(report, "INBOX");
        assertTrue(inboxReport.uidsKept());
        assertEquals(3, inboxReport.messages());
        MemoryMailStore.Box box = store.box(ALICE, "INBOX");
        assertEquals(1234567, box.uidValidity);
        assertEquals(12, box.uidNext);
        assertEquals(Set.of(3L, 7L, 9L), box.messages.keySet());
        assertEquals(Flags.of(Flag.SEEN), box.messages.get(3L).flags());
        assertEquals(flags(Set.of(Flag.FLAGGED, Flag.ANSWERED), "$Junk", "project-x"), box.messages.get(7L).flags());
        assertEquals(Flags.NONE, box.messages.get(9L).flags(), "a message in new/ is unseen");
        assertEquals(T1, box.messages.get(3L).internalDate());
        assertEquals(T2, box.messages.get(7L).internalDate());
        assertEquals(T3, box.messages.get(9L).internalDate());
        assertArrayEquals(MaildirFixture.crlf(m1).getBytes(StandardCharsets.UTF_8), box.messages.get(3L).bytes());
        assertArrayEquals(MaildirFixture.crlf(m2).getBytes(StandardCharsets.UTF_8), box.messages.get(7L).bytes());

        MemoryMailStore.Box entwuerfe = store.box(ALICE, "Entwürfe");
        assertTrue(mailbox(report, "Entwürfe").uidsKept());
        assertEquals(55, entwuerfe.uidValidity);
        assertEquals(3, entwuerfe.uidNext);
        assertEquals(Flags.of(Flag.DRAFT, Flag.SEEN), entwuerfe.messages.get(2L).flags());

        MailboxImport archiveReport = mailbox(report, "Archiv/2023");
        assertFalse(archiveReport.uidsKept());
        assertTrue(archiveReport.note().contains("no dovecot-uidlist"), archiveReport.note());
        MemoryMailStore.Box archived = store.box(ALICE, "Archiv/2023");
        assertEquals(List.of(1L, 2L), List.copyOf(archived.messages.keySet()));
        assertEquals(flags(Set.of(Flag.SEEN), "$Forwarded"), archived.messages.get(1L).flags(), "the older file first");
        assertEquals(Flags.of(Flag.DELETED), archived.messages.get(2L).flags());
        assertArrayEquals(MaildirFixture.crlf(a1).getBytes(StandardCharsets.UTF_8), archived.messages.get(1L).bytes());

        assertEquals(0, store.box(ALICE, "Leer").messages.size());
        assertEquals(List.of("Archiv/2023", "Entwürfe", "INBOX"), store.subscriptions(ALICE));
        assertEquals(3, report.subscriptions());
    }

    @Test
    void filesTheUidListDoesNotKnowGetTheNextUids() throws Exception {
        maildir.message(maildir.root, "cur", "1700000000.A.mail:2,S", MaildirFixture.mail("known", "x\n"), T1);
        maildir.message(maildir.root, "new", "1700000300.B.mail", MaildirFixture.mail("delivered later", "y\n"), T2);
        maildir.file(maildir.root, "dovecot-uidlist", "3 V77 N5\n2 :1700000000.A.mail\n");

        ImportReport report = run();

        MemoryMailStore.Box box = store.box(ALICE, "INBOX");
        assertEquals(List.of(2L, 5L), List.copyOf(box.messages.keySet()));
        assertEquals(6, box.uidNext);
        assertTrue(mailbox(report, "INBOX").uidsKept());
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("got UIDs from 5")), report.notes().toString());
    }

    @Test
    void intoAMailboxThatHeldMessagesTheyAreAppendedAndTheReportSaysSo() throws Exception {
        try (Mailbox inbox = store.open(ALICE, "INBOX")) {
            inbox.append(new AppendRequest(CrlfFileContent.of(Files.writeString(tmp.resolve("m"), "Subject: old\n\nold\n")),
                    Flags.NONE, T1));
        }
        maildir.message(maildir.root, "cur", "1700000000.A.mail:2,S", MaildirFixture.mail("a", "a\n"), T1);
        maildir.file(maildir.root, "dovecot-uidlist", "3 V77 N5\n4 :1700000000.A.mail\n");

        MailboxImport inbox = mailbox(run(), "INBOX");

        assertFalse(inbox.uidsKept());
        assertTrue(inbox.note().contains("already held messages"), inbox.note());
        assertEquals(List.of(1L, 2L), List.copyOf(store.box(ALICE, "INBOX").messages.keySet()));
    }

    @Test
    void aGarbledUidListIsReportedAndTheMessagesAreAppended() throws Exception {
        maildir.message(maildir.root, "cur", "1700000000.A.mail:2,S", MaildirFixture.mail("a", "a\n"), T1);
        maildir.file(maildir.root, "dovecot-uidlist", "\u0000\u0001garbage\n");
        Path sent = maildir.folder(".Sent");
        maildir.message(sent, "cur", "1700000000.B.mail:2,S", MaildirFixture.mail("b", "b\n"), T1);
        maildir.file(sent, "dovecot-uidlist", "3 V9 N4\nthree :1700000000.B.mail\n");

        ImportReport report = run();

        MailboxImport inbox = mailbox(report, "INBOX");
        assertFalse(inbox.uidsKept());
        assertTrue(inbox.note().contains("unknown header"), inbox.note());
        MailboxImport sentReport = mailbox(report, "Sent");
        assertFalse(sentReport.uidsKept());
        assertTrue(sentReport.note().contains("line 2"), sentReport.note());
        assertEquals(1, store.box(ALICE, "Sent").messages.size());
    }

    @Test
    void aUidListGivingOneUidToTwoFilesIsNotTrusted() throws Exception {
        maildir.message(maildir.root, "cur", "1700000000.A.mail:2,S", MaildirFixture.mail("a", "a\n"), T1);
        maildir.file(maildir.root, "dovecot-uidlist", "3 V9 N4\n2 :1700000000.A.mail\n2 :1700000000.B.mail\n");

        MailboxImport inbox = mailbox(run(), "INBOX");

        assertFalse(inbox.uidsKept());
        assertTrue(inbox.note().contains("two files"), inbox.note());
    }

    @Test
    void aDirectoryThatIsNotAMaildirIsRefusedAndNothingIsImported() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(plain.resolve("notes.txt"), "hello");

        MigrationException e = assertThrows(MigrationException.class,
                () -> new MaildirImporter(store).importMaildir(ALICE, plain));
        assertTrue(e.getMessage().contains("not a Maildir"), e.getMessage());
        assertTrue(e.partial().isEmpty());

        e = assertThrows(MigrationException.class,
                () -> new MaildirImporter(store).importMaildir(ALICE, tmp.resolve("missing")));
        assertTrue(e.getMessage().contains("no such directory"), e.getMessage());
        assertTrue(store.users().isEmpty(), "nothing touched");
    }

    @Test
    void aFolderWithoutCurAndNewIsSkippedAndOneWithOnlyNewIsRead() throws Exception {
        Files.createDirectories(tmp.resolve("Maildir/.Broken/tmp"));
        Path onlyNew = Files.createDirectories(tmp.resolve("Maildir/.OnlyNew/new"));
        maildir.message(onlyNew.getParent(), "new", "1700000000.A.mail", MaildirFixture.mail("a", "a\n"), T1);

        ImportReport report = run();

        assertEquals(List.of(new Skipped(".Broken", "not a Maildir folder: it has no cur/ or new/")), report.skipped());
        assertEquals(1, mailbox(report, "OnlyNew").messages());
        assertTrue(report.notes().stream().anyMatch(n -> n.contains(".OnlyNew has no cur/")), report.notes().toString());
    }

    @Test
    void unusableFilesAreSkippedWithAReason() throws Exception {
        Path cur = maildir.root.resolve("cur");
        maildir.message(maildir.root, "cur", "1700000000.good.mail:2,S", MaildirFixture.mail("good", "fine\n"), T1);
        Files.createSymbolicLink(cur.resolve("1700000001.dangling.mail:2,S"), tmp.resolve("nowhere"));
        Files.createDirectories(cur.resolve("1700000002.adir.mail:2,"));
        Files.write(cur.resolve("1700000003.empty.mail:2,"), new byte[0]);
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(cur.resolve("1700000004.gz.mail:2,S")))) {
            gz.write(MaildirFixture.mail("zipped", "z\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(cur.resolve(".hidden"), "ignored");

        ImportReport report = run();

        assertEquals(1, report.messages());
        Map<String, String> reasons = new java.util.TreeMap<>();
        report.skipped().forEach(s -> reasons.put(s.file(), s.reason()));
        assertEquals(Map.of(
                "cur/1700000001.dangling.mail:2,S", "a link to nothing",
                "cur/1700000002.adir.mail:2,", "not a regular file",
                "cur/1700000003.empty.mail:2,", "empty file",
                "cur/1700000004.gz.mail:2,S", "compressed (Dovecot's zlib plugin); decompress the Maildir first"), reasons);
    }

    @Test
    void anUnreadableFileIsSkippedWithAReason() throws Exception {
        Path file = maildir.message(maildir.root, "cur", "1700000000.secret.mail:2,S", MaildirFixture.mail("s", "s\n"), T1);
        maildir.message(maildir.root, "cur", "1700000001.open.mail:2,S", MaildirFixture.mail("o", "o\n"), T1);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(file), "running as root: every file is readable");

        ImportReport report = run();

        assertEquals(1, report.messages());
        assertEquals(List.of(new Skipped("cur/1700000000.secret.mail:2,S", "cannot read it: permission denied")),
                report.skipped());
    }

    @Test
    void aPermissionProblemReadsAsOneWithoutAStackTrace() {
        assertEquals("cannot read it: permission denied",
                Skipped.reason(new java.nio.file.AccessDeniedException("/srv/mail/cur/x")));
        assertEquals("cannot read it: Input/output error",
                Skipped.reason(new java.nio.file.FileSystemException("/srv/mail/cur/x", null, "Input/output error")));
    }

    @Test
    void aCourierMaildirKeepsItsUidsAndSubscriptions() throws Exception {
        maildir.message(maildir.root, "cur", "1600000000.abc.mail:2,S", MaildirFixture.mail("a", "a\n"), T1);
        Path sent = maildir.folder(".Sent");
        maildir.message(sent, "cur", "1600000001.def.mail:2,RS", MaildirFixture.mail("b", "b\n"), T2);
        maildir.file(sent, "courierimapuiddb", "1 99 4\n3 1600000001.def.mail\n");
        maildir.file(maildir.root, "courierimapsubscribed", "INBOX.Sent\n");

        ImportReport report = run();

        assertTrue(mailbox(report, "Sent").uidsKept());
        assertEquals(Set.of(3L), store.box(ALICE, "Sent").messages.keySet());
        assertEquals(99, store.box(ALICE, "Sent").uidValidity);
        assertEquals(List.of("Sent"), store.subscriptions(ALICE));
    }

    @Test
    void dovecotVersion2SubscriptionsAreRead() throws Exception {
        maildir.folder(".Archiv.2023");
        maildir.file(maildir.root, "subscriptions", "V\t2\n\nArchiv\t2023\nEntwürfe\n");

        run();

        assertEquals(List.of("Archiv/2023", "Entwürfe"), store.subscriptions(ALICE));
    }

    @Test
    void aKeywordLetterWithoutANameIsDroppedAndNoted() throws Exception {
        maildir.message(maildir.root, "cur", "1700000000.A.mail:2,Sac", MaildirFixture.mail("a", "a\n"), T1);
        maildir.file(maildir.root, "dovecot-keywords", "0 Work\n");

        ImportReport report = run();

        assertEquals(flags(Set.of(Flag.SEEN), "Work"), store.box(ALICE, "INBOX").messages.get(1L).flags());
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("without a meaning") && n.endsWith("c")),
                report.notes().toString());
    }

    @Test
    void aFullStoreStopsTheImportAndTheErrorCarriesWhatWasDone() throws Exception {
        store.messageLimit = 1;
        maildir.message(maildir.root, "cur", "1700000000.A.mail:2,S", MaildirFixture.mail("a", "a\n"), T1);
        Path sent = maildir.folder(".Sent");
        maildir.message(sent, "cur", "1700000001.B.mail:2,S", MaildirFixture.mail("b", "b\n"), T1);

        MigrationException e = assertThrows(MigrationException.class, this::run);

        assertTrue(e.getMessage().contains("folder .Sent") && e.getMessage().contains("over quota"), e.getMessage());
        ImportReport partial = (ImportReport) e.partial().orElseThrow();
        assertEquals(1, partial.messages());
    }

    @Test
    void aLineEndAlreadyCrlfIsNotDoubled() throws Exception {
        String text = "Subject: crlf\r\n\r\nbody\r\nbare\nend";
        maildir.message(maildir.root, "cur", "1700000000.A.mail:2,S", text, T1);

        run();

        assertEquals("Subject: crlf\r\n\r\nbody\r\nbare\r\nend",
                new String(store.box(ALICE, "INBOX").messages.get(1L).bytes(), StandardCharsets.UTF_8));
    }
}
