package org.postbus.smtp.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postbus.protocol.InputBuffer;

class CommandLineReaderTest {

    private final InputBuffer in = new InputBuffer();
    private final CommandLineReader reader = new CommandLineReader(20);

    @Test
    void splitsPipelinedLinesAtCrlf() {
        feed("EHLO a\r\nMAIL FROM:<>\r\nRCPT");
        assertEquals(List.of("LINE EHLO a", "LINE MAIL FROM:<>"), readAll());
        feed(" TO:<b@c>\r\n");
        assertEquals(List.of("LINE RCPT TO:<b@c>"), readAll());
    }

    @Test
    void lineSplitAcrossPacketsAtTheCr() {
        feed("NOOP\r");
        assertEquals(List.of(), readAll());
        feed("\nQUIT\r\n");
        assertEquals(List.of("LINE NOOP", "LINE QUIT"), readAll());
    }

    @Test
    void bareLineFeedIsRefusedAndTheNextLineStillRead() {
        feed("NOOP\nQUIT\r\n");
        assertEquals(List.of("BARE_LINE_BREAK ", "LINE QUIT"), readAll());
    }

    @Test
    void bareCarriageReturnInsideALineIsRefused() {
        feed("RCPT TO:<a>\rDATA\r\n");
        assertEquals(List.of("BARE_LINE_BREAK "), readAll());
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() {
        feed("X".repeat(18) + "\r\n");
        assertEquals(List.of("LINE " + "X".repeat(18)), readAll());
    }

    @Test
    void longerLineIsSkippedWholeAndReportedOnce() {
        feed("X".repeat(19) + "\r\nNOOP\r\n");
        assertEquals(List.of("TOO_LONG ", "LINE NOOP"), readAll());
    }

    @Test
    void overlongLineArrivingInPiecesIsDroppedAsItComes() {
        feed("Y".repeat(25));
        assertEquals(List.of(), readAll());
        assertEquals(0, in.available());
        feed("Y".repeat(100));
        assertEquals(List.of(), readAll());
        feed("YY\r\nQUIT\r\n");
        assertEquals(List.of("TOO_LONG ", "LINE QUIT"), readAll());
    }

    @Test
    void decodesUtf8() {
        feed("RCPT TO:<é@ü.de>\r\n");
        assertEquals(List.of("LINE RCPT TO:<é@ü.de>"), readAll());
    }

    private void feed(String text) {
        in.append(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> readAll() {
        List<String> lines = new ArrayList<>();
        for (CommandLine line = reader.read(in); line.kind() != CommandLine.Kind.NEED_MORE; line = reader.read(in)) {
            lines.add(line.kind() + " " + line.text());
        }
        return lines;
    }
}
