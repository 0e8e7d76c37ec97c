package org.postbus.imap.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the arguments of one {@link RawCommand} by the grammar of RFC 9051 section 9. Each
 * method consumes what it read or throws {@link ParseException} with a message for the client's
 * BAD. Literals are taken from the command in order wherever a string may stand.
 */
public final class ImapParser {

    private final byte[] text;
    private final List<Literal> literals;
    private int pos;
    private int nextLiteral;
    private boolean lastLiteral8;

    /** A parser at the start of the command. */
    public ImapParser(RawCommand command) {
        this.text = command.text();
        this.literals = command.literals();
    }

    /** A parser over plain text (tests, and sub-grammars such as a SASL line). */
    public ImapParser(String text) {
        this(new RawCommand(text.getBytes(StandardCharsets.UTF_8), List.of()));
    }

    // ---- character classes (RFC 9051 section 9)

    static boolean isAtomChar(int c) {
        return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*'
                && c != '"' && c != '\\' && c != ']';
    }

    static boolean isAstringChar(int c) {
        return isAtomChar(c) || c == ']';
    }

    static boolean isTagChar(int c) {
        return isAstringChar(c) && c != '+';
    }

    static boolean isListChar(int c) {
        return isAstringChar(c) || c == '%' || c == '*';
    }

    // ---- position

    /** Whether everything was read. */
    public boolean atEnd() {
        return pos >= text.length;
    }

    /** The next character, or -1 at the end. */
    public int peek() {
        return pos < text.length ? text[pos] & 0xff : -1;
    }

    /** Whether the next character is {@code c}; consumes it if so. */
    public boolean accept(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes {@code c} or fails. */
    public void expect(char c) throws ParseException {
        if (!accept(c)) {
            throw new ParseException(atEnd() ? "Missing '" + c + "' at end of command"
                    : "Expected '" + c + "' at " + describe());
        }
    }

    /** Consumes one space or fails. */
    public void sp() throws ParseException {
        if (!accept(' ')) {
            throw new ParseException(atEnd() ? "Missing argument" : "Expected a space at " + describe());
        }
    }

    /** Fails unless the command is fully read. */
    public void end() throws ParseException {
        if (!atEnd()) {
            throw new ParseException("Unexpected characters at " + describe());
        }
    }

    /** Whether the next bytes are {@code word} (any case), followed by a non-atom character. */
    public boolean peekWord(String word) {
        int n = word.length();
        if (pos + n > text.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (Character.toUpperCase((char) (text[pos + i] & 0xff)) != Character.toUpperCase(word.charAt(i))) {
                return false;
            }
        }
        return pos + n == text.length || !isAtomChar(text[pos + n] & 0xff);
    }

    /** Consumes {@code word} (any case) if it is next. */
    public boolean acceptWord(String word) {
        if (peekWord(word)) {
            pos += word.length();
            return true;
        }
        return false;
    }

    // ---- tokens

    /** The tag. */
    public String tag() throws ParseException {
        int s = pos;
        while (pos < text.length && isTagChar(text[pos] & 0xff)) {
            pos++;
        }
        if (s == pos) {
            throw new ParseException("Missing or invalid tag");
        }
        return ascii(s, pos);
    }

    /** An atom. */
    public String atom() throws ParseException {
        int s = pos;
        while (pos < text.length && isAtomChar(text[pos] & 0xff)) {
            pos++;
        }
        if (s == pos) {
            throw new ParseException(atEnd() ? "Missing argument" : "Expected an atom at " + describe());
        }
        return ascii(s, pos);
    }

    /** An atom in upper case. */
    public String keyword() throws ParseException {
        return atom().toUpperCase(Locale.ROOT);
    }

    /** Characters of a command name or fetch attribute: letters, digits, '.', '-', '=' ... */
    public String word() throws ParseException {
        int s = pos;
        while (pos < text.length && isAtomChar(text[pos] & 0xff) && text[pos] != '[') {
            pos++;
        }
        if (s == pos) {
            throw new ParseException(atEnd() ? "Missing argument" : "Expected a word at " + describe());
        }
        return ascii(s, pos).toUpperCase(Locale.ROOT);
    }

    /** An astring: an atom (']' allowed) or a string. */
    public String astring() throws ParseException {
        int c = peek();
        if (c == '"' || c == '{' || c == '~') {
            return string();
        }
        int s = pos;
        while (pos < text.length && isAstringChar(text[pos] & 0xff)) {
            pos++;
        }
        if (s == pos) {
            throw new ParseException(atEnd() ? "Missing argument" : "Expected a string at " + describe());
        }
        return utf8(s, pos);
    }

    /** A quoted string or a literal, as text (UTF-8). */
    public String string() throws ParseException {
        return new String(stringBytes(), StandardCharsets.UTF_8);
    }

    /** A quoted string or a literal, as bytes. */
    public byte[] stringBytes() throws ParseException {
        int c = peek();
        if (c == '"') {
            return quoted();
        }
        if (c == '{' || c == '~') {
            return literal();
        }
        throw new ParseException(atEnd() ? "Missing string" : "Expected a quoted string or literal at " + describe());
    }

    /** NIL or a string. */
    public String nstring() throws ParseException {
        if (acceptWord("NIL")) {
            return null;
        }
        return string();
    }

    /** A literal (or literal8) as bytes; {@link #lastWasLiteral8()} tells which. */
    public byte[] literal() throws ParseException {
        return literalContent().bytes();
    }

    /** A literal (or literal8) as content, possibly spooled to disk (APPEND). */
    public Literal literalContent() throws ParseException {
        lastLiteral8 = accept('~');
        expect('{');
        int s = pos;
        while (pos < text.length && text[pos] >= '0' && text[pos] <= '9') {
            pos++;
        }
        if (s == pos) {
            throw new ParseException("Invalid literal size");
        }
        accept('+');
        expect('}');
        if (nextLiteral >= literals.size()) {
            throw new ParseException("Literal marker inside a line");
        }
        return literals.get(nextLiteral++);
    }

    /** Whether the last {@link #literal} was a {@code ~{n}} literal8. */
    public boolean lastWasLiteral8() {
        return lastLiteral8;
    }

    /** Whether the next token is a literal (string or literal8). */
    public boolean atLiteral() {
        return peek() == '{' || (peek() == '~' && pos + 1 < text.length && text[pos + 1] == '{');
    }

    private byte[] quoted() throws ParseException {
        expect('"');
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            if (pos >= text.length) {
                throw new ParseException("Unterminated quoted string");
            }
            int c = text[pos++] & 0xff;
            if (c == '"') {
                return out.toByteArray();
            }
            if (c == '\\') {
                if (pos >= text.length) {
                    throw new ParseException("Unterminated quoted string");
                }
                int q = text[pos++] & 0xff;
                if (q != '"' && q != '\\') {
                    throw new ParseException("Invalid escape in quoted string");
                }
                out.write(q);
            } else if (c == '\r' || c == '\n' || c == 0) {
                throw new ParseException("Invalid character in quoted string");
            } else {
                out.write(c);
            }
        }
    }

    /** A mailbox name as written (astring), not yet decoded from modified UTF-7. */
    public String mailbox() throws ParseException {
        return astring();
    }

    /** A LIST pattern: list-char atoms or a string. */
    public String listMailbox() throws ParseException {
        int c = peek();
        if (c == '"' || c == '{' || c == '~') {
            return string();
        }
        int s = pos;
        while (pos < text.length && isListChar(text[pos] & 0xff)) {
            pos++;
        }
        if (s == pos) {
            throw new ParseException("Expected a mailbox pattern at " + describe());
        }
        return utf8(s, pos);
    }

    /** A number (0 to 2^63-1). */
    public long number() throws ParseException {
        int s = pos;
        while (pos < text.length && text[pos] >= '0' && text[pos] <= '9') {
            pos++;
        }
        if (s == pos || pos - s > 18) {
            pos = s;
            throw new ParseException(atEnd() ? "Missing number" : "Expected a number at " + describe());
        }
        return Long.parseLong(ascii(s, pos));
    }

    /** A non-zero number. */
    public long nzNumber() throws ParseException {
        long n = number();
        if (n == 0) {
            throw new ParseException("Zero is not allowed here");
        }
        return n;
    }

    /** A sequence set, or {@code $}. */
    public SequenceSet sequenceSet() throws ParseException {
        if (accept('$')) {
            return SequenceSet.SAVED;
        }
        List<long[]> ranges = new ArrayList<>();
        do {
            long a = seqNumber();
            long b = a;
            if (accept(':')) {
                b = seqNumber();
            }
            ranges.add(new long[] {a, b});
        } while (accept(','));
        return new SequenceSet(List.copyOf(ranges), false);
    }

    /** Whether a sequence set (digit, '*' or '$') is next. */
    public boolean atSequenceSet() {
        int c = peek();
        return (c >= '0' && c <= '9') || c == '*' || c == '$';
    }

    private long seqNumber() throws ParseException {
        if (accept('*')) {
            return SequenceSet.STAR;
        }
        if (!(peek() >= '0' && peek() <= '9')) {
            throw new ParseException("Invalid sequence set at " + describe());
        }
        long n = number();
        if (n == 0 || n > 0xffffffffL) {
            throw new ParseException("Invalid sequence number " + n);
        }
        return n;
    }

    /** A flag: {@code \Name} or a keyword atom. */
    public String flag() throws ParseException {
        if (accept('\\')) {
            if (accept('*')) {
                return "\\*";
            }
            return "\\" + atom();
        }
        return atom();
    }

    /** A parenthesised list of flags, or a single flag when {@code single} allows. */
    public List<String> flagList(boolean allowBare) throws ParseException {
        List<String> flags = new ArrayList<>();
        if (accept('(')) {
            if (accept(')')) {
                return flags;
            }
            do {
                flags.add(flag());
            } while (accept(' '));
            expect(')');
            return flags;
        }
        if (!allowBare) {
            throw new ParseException("Expected a flag list at " + describe());
        }
        do {
            flags.add(flag());
        } while (accept(' '));
        return flags;
    }

    /** The rest of the command, raw. */
    public String rest() {
        String s = utf8(pos, text.length);
        pos = text.length;
        return s;
    }

    /** A short excerpt of what follows, for error messages. */
    public String describe() {
        if (atEnd()) {
            return "end of command";
        }
        int to = Math.min(text.length, pos + 20);
        StringBuilder out = new StringBuilder("'");
        for (int i = pos; i < to; i++) {
            int c = text[i] & 0xff;
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return out.append(to < text.length ? "...'" : "'").toString();
    }

    private String ascii(int s, int e) {
        return new String(text, s, e - s, StandardCharsets.US_ASCII);
    }

    private String utf8(int s, int e) {
        return new String(text, s, e - s, StandardCharsets.UTF_8);
    }
}
