package org.postbus.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThreadingTest {

    static Instant t(int minute) {
        return Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * minute);
    }

    static ThreadInput msg(long id, String messageId, String subject, int minute, String... refs) {
        return ThreadInput.of(id, MimeParserTest.parse((messageId == null ? "" : "Message-ID: " + messageId + "\r\n")
                + (refs.length == 0 ? "" : "References: " + String.join(" ", refs) + "\r\n")
                + "Subject: " + subject + "\r\n\r\n"), t(minute));
    }

    static String references(ThreadInput... in) {
        return ImapFormat.thread(Threading.references(List.of(in)));
    }

    @Test
    void theRfc5256ExampleShape() {
        String r = references(
                msg(2, "<2@x>", "Other", 0),
                msg(3, "<3@x>", "Topic", 1),
                msg(6, "<6@x>", "Re: Topic", 2, "<3@x>"),
                msg(4, "<4@x>", "Re: Topic", 3, "<3@x>", "<6@x>"),
                msg(23, "<23@x>", "Re: Topic", 4, "<3@x>", "<6@x>", "<4@x>"),
                msg(44, "<44@x>", "Re: Topic", 5, "<3@x>", "<6@x>"),
                msg(7, "<7@x>", "Re: Topic", 6, "<3@x>", "<6@x>", "<44@x>"),
                msg(96, "<96@x>", "Re: Topic", 7, "<3@x>", "<6@x>", "<44@x>", "<7@x>"));
        assertEquals("(2)(3 6 (4 23)(44 7 96))", r);
    }

    @Test
    void inputOrderDoesNotMatter() {
        List<ThreadInput> in = new ArrayList<>(List.of(
                msg(96, "<96@x>", "Re: Topic", 7, "<3@x>", "<6@x>", "<44@x>", "<7@x>"),
                msg(4, "<4@x>", "Re: Topic", 3, "<3@x>", "<6@x>"),
                msg(2, "<2@x>", "Other", 0),
                msg(44, "<44@x>", "Re: Topic", 5, "<3@x>", "<6@x>"),
                msg(7, "<7@x>", "Re: Topic", 6, "<3@x>", "<6@x>", "<44@x>"),
                msg(23, "<23@x>", "Re: Topic", 4, "<3@x>", "<6@x>", "<4@x>"),
                msg(3, "<3@x>", "Topic", 1),
                msg(6, "<6@x>", "Re: Topic", 2, "<3@x>")));
        assertEquals("(2)(3 6 (4 23)(44 7 96))", ImapFormat.thread(Threading.references(in)));
    }

    @Test
    void missingParentWithTwoRepliesKeepsADummy() {
        assertEquals("((3)(5))", references(
                msg(3, "<3@x>", "Re: lost", 1, "<gone@x>"),
                msg(5, "<5@x>", "Re: also lost", 2, "<gone@x>")));
        assertEquals("(3)", references(msg(3, "<3@x>", "Re: lost", 1, "<gone@x>")), "one child replaces the dummy");
    }

    @Test
    void sameSubjectMerges() {
        assertEquals("((10)(11))", references(msg(10, "<10@x>", "Hello", 1), msg(11, "<11@x>", "Hello", 2)));
        assertEquals("(13 12)", references(msg(12, "<12@x>", "Re: Hello2", 2), msg(13, "<13@x>", "Hello2", 1)));
        assertEquals("(1)(2)", references(msg(1, "<1@x>", "", 1), msg(2, "<2@x>", "", 2)), "empty subjects never merge");
    }

    @Test
    void loopsDuplicatesAndMissingIds() {
        // 1 names 2 as its parent first; 2 naming 1 would close a loop and is ignored
        assertEquals("(2 1)", references(msg(1, "<a@x>", "one", 1, "<b@x>"), msg(2, "<b@x>", "two", 2, "<a@x>")));
        assertEquals("(1)(2)", references(msg(1, "<same@x>", "one", 1), msg(2, "<same@x>", "two", 2)));
        assertEquals("(1)(2)", references(msg(1, null, "one", 1), msg(2, null, "two", 2)));
        assertEquals("(1 2)", references(msg(1, "<self@x>", "one", 1), msg(2, "<2@x>", "two", 2, "<self@x>", "<2@x>")));
    }

    @Test
    void orderedSubject() {
        List<ThreadInput> in = List.of(msg(1, null, "a", 1), msg(2, null, "Re: a", 3), msg(3, null, "b", 2),
                msg(4, null, "A", 4), msg(5, null, "c", 0));
        assertEquals("(5)(1 (2)(4))(3)", ImapFormat.thread(Threading.orderedSubject(in)));
        assertEquals("(1 2)", ImapFormat.thread(Threading.orderedSubject(List.of(msg(2, null, "x", 2), msg(1, null, "x", 1)))));
    }

    /** The threading corpus (threads/NN.eml, UID n) against Dovecot's THREAD answers for it. */
    @Test
    void matchesDovecot() throws java.io.IOException {
        List<ThreadInput> in = new ArrayList<>();
        for (int n = 1; ; n++) {
            String name = String.format("/threads/%02d.eml", n);
            if (ThreadingTest.class.getResource(name) == null) {
                break;
            }
            in.add(ThreadInput.of(n, MimeParser.parse(TestContent.resource(name)), t(1000)));
        }
        assertEquals(29, in.size());
        for (String line : CorpusTest.lines("/threads/dovecot.txt")) {
            String algorithm = line.substring(0, line.indexOf(' '));
            String expected = line.substring(line.indexOf(' ') + 1);
            List<ThreadNode> threads = algorithm.equals("REFERENCES")
                    ? Threading.references(in) : Threading.orderedSubject(in);
            assertEquals(expected, ImapFormat.thread(threads), algorithm);
        }
    }

    /** 150 seeded random messages (dovecot/record_random_threads.py) against Dovecot's answers. */
    @Test
    void randomCorpusMatchesDovecot() throws java.io.IOException {
        String all = new String(TestContent.resource("/threads/random.msgs").bytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        List<ThreadInput> in = new ArrayList<>();
        int n = 0;
        for (String msg : all.split("=====\n")) {
            in.add(ThreadInput.of(++n, MimeParserTest.parse(msg), t(1000)));
        }
        assertTrue(in.size() >= 150, "the recorded corpus");
        for (String line : CorpusTest.lines("/threads/random.dovecot.txt")) {
            String algorithm = line.substring(0, line.indexOf(' '));
            String expected = line.substring(line.indexOf(' ') + 1);
            List<ThreadNode> threads = algorithm.equals("REFERENCES")
                    ? Threading.references(in) : Threading.orderedSubject(in);
            assertEquals(expected, ImapFormat.thread(threads), algorithm);
        }
    }

    @Test
    void inputFromAMessage() {
        ThreadInput in = ThreadInput.of(7, MimeParserTest.parse("Message-ID: <m@x>\r\nIn-Reply-To: <p@x>\r\n"
                + "Subject: Re: x\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\n"), t(99));
        assertEquals(new ThreadInput(7, Optional.of("<m@x>"), List.of("<p@x>"), "x", t(0), true), in);
        ThreadInput undated = ThreadInput.of(8, MimeParserTest.parse("Subject: x\r\n\r\n"), t(99));
        assertEquals(t(99), undated.date(), "no Date: the internal date");
    }
}
