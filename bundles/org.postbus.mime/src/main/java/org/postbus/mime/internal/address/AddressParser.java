package org.postbus.mime.internal.address;

import java.util.ArrayList;
import java.util.List;

/**
 * A lenient RFC 5322 address-list parser that keeps display names raw, as IMAP's ENVELOPE
 * needs them (Mime4j's parser decodes RFC 2047 words on the way). Broken input yields the markers
 * Dovecot uses ({@code MISSING_MAILBOX}, {@code MISSING_DOMAIN}, {@code SYNTAX_ERROR}) rather than
 * an error.
 */
public final class AddressParser {

    private final String s;
    private int i;
    /** The text of the last comment skipped, an RFC 822 style display name after an addr-spec. */
    private String lastComment;

    private AddressParser(String s) {
        this.s = s;
    }

    /** Parses an address list; an empty or blank value gives an empty list. */
    public static List<Address> parse(String value) {
        AddressParser p = new AddressParser(value);
        List<Address> out = new ArrayList<>();
        p.list(out, false);
        return out;
    }

    private void list(List<Address> out, boolean inGroup) {
        while (true) {
            skipCfws();
            if (i >= s.length()) {
                return;
            }
            char c = s.charAt(i);
            if (c == ',') {
                i++;
                continue;
            }
            if (c == ';' && inGroup) {
                i++;
                return;
            }
            if (c == ';') {
                i++;
                continue;
            }
            address(out, inGroup);
        }
    }

    private void address(List<Address> out, boolean inGroup) {
        int start = i;
        StringBuilder phrase = new StringBuilder();
        String comment = null;
        int words = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                String text = comment();
                if (comment == null) {
                    comment = text;
                }
            } else if (c == '<') {
                i++;
                angle(out, phrase.length() == 0 ? null : phrase.toString());
                return;
            } else if (c == ':' && !inGroup) {
                i++;
                out.add(Address.groupStart(phrase.toString()));
                list(out, true);
                out.add(Address.groupEnd());
                return;
            } else if (c == '.' && words > 0 && angleAhead()) {
                phrase.append('.');
                i++;
            } else if (c == '@' || c == '.' && words > 0) {
                i = start;
                addrSpec(out);
                return;
            } else if (c == ',' || c == ';' || c == '>' || c == ':' || c == '@') {
                break;
            } else {
                String w = c == '"' ? quoted() : atom();
                if (phrase.length() > 0) {
                    phrase.append(' ');
                }
                phrase.append(w);
                words++;
            }
        }
        if (words == 1) {
            out.add(new Address(comment, null, phrase.toString(), Address.MISSING_DOMAIN));
        } else if (words > 1) {
            out.add(new Address(phrase.toString(), null, Address.MISSING_MAILBOX, Address.MISSING_DOMAIN));
        } else if (i < s.length() && (s.charAt(i) == '>' || s.charAt(i) == ':' || s.charAt(i) == '@')) {
            i++; // a stray special: skip it
        }
    }

    /** local-part "@" domain, with a trailing comment as the name (RFC 822 style). */
    private void addrSpec(List<Address> out) {
        String local = localPart();
        skipCfws();
        String domain = Address.MISSING_DOMAIN;
        if (i < s.length() && s.charAt(i) == '@') {
            i++;
            domain = domain();
            if (domain.isEmpty()) {
                domain = Address.MISSING_DOMAIN;
            }
        }
        lastComment = null;
        skipCfws();
        String name = lastComment == null || lastComment.isBlank() ? null : lastComment;
        // Anything else before the next comma (a forgotten comma, stray text) is parsed as the
        // next address by the list, not dropped.
        out.add(new Address(name, null, local.isEmpty() ? Address.MISSING_MAILBOX : local, domain));
    }

    /** After "<": [route ":"] local "@" domain ">". */
    private void angle(List<Address> out, String name) {
        skipCfws();
        String route = null;
        if (i < s.length() && s.charAt(i) == '@') {
            int colon = s.indexOf(':', i);
            int close = s.indexOf('>', i);
            if (colon > 0 && (close < 0 || colon < close)) {
                route = s.substring(i, colon).replaceAll("[ \\t\\r\\n]", "");
                i = colon + 1;
            }
        }
        skipCfws();
        if (i < s.length() && s.charAt(i) == '>') {
            i++;
            out.add(new Address(name, route, Address.MISSING_MAILBOX, Address.MISSING_DOMAIN));
            return;
        }
        String local = localPart();
        skipCfws();
        String domain;
        if (i < s.length() && s.charAt(i) == '@') {
            i++;
            domain = domain();
            if (domain.isEmpty()) {
                domain = Address.MISSING_DOMAIN;
            }
        } else {
            domain = Address.MISSING_DOMAIN;
        }
        skipCfws();
        if (i < s.length() && s.charAt(i) == '>') {
            i++;
        } else {
            domain = "SYNTAX_ERROR";
            while (i < s.length() && s.charAt(i) != '>' && s.charAt(i) != ',') {
                i++;
            }
            if (i < s.length() && s.charAt(i) == '>') {
                i++;
            }
        }
        out.add(new Address(name, route, local.isEmpty() ? Address.MISSING_MAILBOX : local, domain));
    }

    /** Whether a '<' comes before the end of this address: a dot is then part of the phrase. */
    private boolean angleAhead() {
        for (int j = i; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '<') {
                return true;
            }
            if (c == ',' || c == ';' || c == '@') {
                return false;
            }
        }
        return false;
    }

    private String localPart() {
        StringBuilder b = new StringBuilder();
        while (true) {
            skipCfws();
            if (i >= s.length()) {
                break;
            }
            char c = s.charAt(i);
            if (c == '"') {
                b.append(quoted());
            } else if (c == '.') {
                b.append('.');
                i++;
            } else if (isAtomChar(c)) {
                b.append(atom());
            } else {
                break;
            }
        }
        return b.toString();
    }

    /** Dot-separated atoms or a domain literal; whitespace between atoms ends the domain. */
    private String domain() {
        StringBuilder b = new StringBuilder();
        boolean wantAtom = true;
        while (true) {
            int before = i;
            skipCfws();
            char c = i < s.length() ? s.charAt(i) : 0;
            if (c == '.') {
                b.append('.');
                i++;
                wantAtom = true;
            } else if (wantAtom && c == '[') {
                int close = s.indexOf(']', i);
                int end = close < 0 ? s.length() : close + 1;
                b.append(s, i, end);
                i = end;
                wantAtom = false;
            } else if (wantAtom && c != 0 && isAtomChar(c)) {
                b.append(atom());
                wantAtom = false;
            } else {
                if (!wantAtom) {
                    i = before; // leave what follows (a comment, the next address) to the caller
                }
                break;
            }
        }
        return b.toString();
    }

    private static boolean isAtomChar(char c) {
        return c > ' ' && "()<>[]:;@\\,.\"".indexOf(c) < 0 && c != 127;
    }

    private String atom() {
        int start = i;
        while (i < s.length() && isAtomChar(s.charAt(i))) {
            i++;
        }
        if (i == start) {
            i++; // a lone special where a word was expected
            return s.substring(start, i);
        }
        return s.substring(start, i);
    }

    private String quoted() {
        StringBuilder b = new StringBuilder();
        for (i++; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                b.append(s.charAt(++i));
            } else if (c == '"') {
                i++;
                return b.toString();
            } else if (c != '\r' && c != '\n') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private String comment() {
        int depth = 0;
        StringBuilder b = new StringBuilder();
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                b.append(s.charAt(++i));
            } else if (c == '(') {
                if (depth++ > 0) {
                    b.append(c);
                }
            } else if (c == ')') {
                if (--depth == 0) {
                    i++;
                    return b.toString().strip();
                }
                b.append(c);
            } else {
                b.append(c);
            }
        }
        return b.toString().strip();
    }

    private void skipCfws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                lastComment = comment();
            } else {
                return;
            }
        }
    }
}
