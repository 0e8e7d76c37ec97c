package org.postbus.imap.internal.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.codec.DateTimes;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.Response;
import org.postbus.imap.internal.codec.SequenceSet;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.imap.internal.session.Selected;
import org.postbus.mime.ImapFormat;
import org.postbus.mime.MimeMessage;
import org.postbus.mime.Section;
import org.postbus.mime.Sections;
import org.postbus.mime.UnknownEncodingException;

/**
 * FETCH and UID FETCH (RFC 9051 6.4.5): every data item, partial fetches, BINARY (RFC 3516),
 * MODSEQ and CHANGEDSINCE/VANISHED (RFC 7162), EMAILID/THREADID (RFC 8474), SAVEDATE (RFC 8514).
 * Items that need no content (FLAGS, UID, INTERNALDATE, RFC822.SIZE, MODSEQ, ...) never read it.
 */
final class FetchCommand implements Command {

    private enum Kind {
        UID, FLAGS, INTERNALDATE, SIZE, ENVELOPE, BODY, BODYSTRUCTURE, SECTION, BINARY, BINARY_SIZE, MODSEQ,
        EMAILID, THREADID, SAVEDATE
    }

    /** One requested item. */
    private record Item(Kind kind, String label, Section section, int[] part, long origin, long count,
            boolean setsSeen) {
        boolean needsParse() {
            return kind == Kind.ENVELOPE || kind == Kind.BODY || kind == Kind.BODYSTRUCTURE || kind == Kind.SECTION
                    || kind == Kind.BINARY || kind == Kind.BINARY_SIZE;
        }

        /** Whether the top-level header is all the item needs of a parse (no part structure). */
        boolean headerEnough() {
            return switch (kind) {
                case ENVELOPE -> true;
                case SECTION -> section.part().length == 0 && section.text() != Section.Text.MIME;
                case BINARY, BINARY_SIZE -> section != null
                        ? section.part().length == 0 && section.text() != Section.Text.MIME : part.length == 0;
                default -> !needsParse();
            };
        }
    }

    @Override
    public void execute(ImapSession session, Request r) throws ParseException, StoreException {
        ImapParser p = r.args();
        p.sp();
        SequenceSet set = p.sequenceSet();
        p.sp();
        List<Item> items = new ArrayList<>();
        if (p.accept('(')) {
            do {
                item(p, items);
            } while (p.accept(' '));
            p.expect(')');
        } else if (p.acceptWord("ALL")) {
            items.addAll(List.of(simple(Kind.FLAGS, "FLAGS"), simple(Kind.INTERNALDATE, "INTERNALDATE"),
                    simple(Kind.SIZE, "RFC822.SIZE"), simple(Kind.ENVELOPE, "ENVELOPE")));
        } else if (p.acceptWord("FAST")) {
            items.addAll(List.of(simple(Kind.FLAGS, "FLAGS"), simple(Kind.INTERNALDATE, "INTERNALDATE"),
                    simple(Kind.SIZE, "RFC822.SIZE")));
        } else if (p.acceptWord("FULL")) {
            items.addAll(List.of(simple(Kind.FLAGS, "FLAGS"), simple(Kind.INTERNALDATE, "INTERNALDATE"),
                    simple(Kind.SIZE, "RFC822.SIZE"), simple(Kind.ENVELOPE, "ENVELOPE"), simple(Kind.BODY, "BODY")));
        } else {
            item(p, items);
        }
        long changedSince = -1;
        boolean vanished = false;
        if (p.accept(' ')) {
            p.expect('(');
            do {
                String mod = p.keyword();
                if (mod.equals("CHANGEDSINCE")) {
                    p.sp();
                    changedSince = p.nzNumber();
                    session.condstoreUsed();
                } else if (mod.equals("VANISHED")) {
                    vanished = true;
                } else {
                    throw new ParseException("Unknown FETCH modifier " + mod);
                }
            } while (p.accept(' '));
            p.expect(')');
        }
        p.end();
        // "FETCH 1 (UID UID)" gets each item once, as a client reading a response into a map expects;
        // BODY[1] with BODY.PEEK[1] is one BODY[1] that sets \Seen.
        Map<String, Integer> distinct = new HashMap<>();
        List<Item> once = new ArrayList<>();
        for (Item i : items) {
            Integer at = distinct.putIfAbsent(i.kind + " " + i.label, once.size());
            if (at == null) {
                once.add(i);
            } else if (i.setsSeen && !once.get(at).setsSeen) {
                Item k = once.get(at);
                once.set(at, new Item(k.kind, k.label, k.section, k.part, k.origin, k.count, true));
            }
        }
        items.clear();
        items.addAll(once);
        if (vanished && (!r.uid() || !session.qresync() || changedSince < 0)) {
            throw new ParseException("VANISHED needs UID FETCH, ENABLE QRESYNC and CHANGEDSINCE");
        }
        long[] uids = MessageSet.uids(session, set, r.uid());
        Selected s = session.selected();
        boolean wantModSeq = changedSince >= 0;
        for (Item i : items) {
            if (i.kind == Kind.MODSEQ) {
                session.condstoreUsed();
                wantModSeq = false;
            }
        }
        if (wantModSeq) {
            items.add(simple(Kind.MODSEQ, "MODSEQ"));
        }
        if (r.uid() && items.stream().noneMatch(i -> i.kind == Kind.UID)) {
            items.add(0, simple(Kind.UID, "UID"));
        }
        if (vanished) {
            List<long[]> gone = Vanished.since(s.mailbox(), changedSince, set.saved() ? null : Vanished.ranges(set));
            if (!gone.isEmpty()) {
                session.untagged("VANISHED (EARLIER) " + Vanished.format(gone));
            }
        }
        if (uids.length == 0) {
            session.ok(r.tag(), "FETCH completed");
            return;
        }
        Set<Long> newlySeen = new HashSet<>();
        if (!s.readOnly() && items.stream().anyMatch(Item::setsSeen)) {
            List<Long> unseen = new ArrayList<>();
            try (Stream<MessageMeta> metas = metas(s, uids)) {
                metas.filter(m -> !m.flags().has(Flag.SEEN)).forEach(m -> unseen.add(m.uid()));
            }
            if (!unseen.isEmpty()) {
                long[] list = unseen.stream().mapToLong(Long::longValue).toArray();
                for (MessageMeta m : s.mailbox().updateFlags(MessageSet.ranges(list),
                        FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.SEEN)))) {
                    newlySeen.add(m.uid());
                    s.ownChange(m.uid(), m.modSeq());
                }
            }
        }
        String[] failure = {null};
        int[] found = {0};
        Set<Long> present = new HashSet<>();
        boolean[] vanishedMeanwhile = {false};
        long since = changedSince;
        try (Stream<MessageMeta> metas = metas(s, uids)) {
            metas.forEach(meta -> {
                found[0]++;
                present.add(meta.uid());
                if (failure[0] != null || (since >= 0 && meta.modSeq() <= since)) {
                    return;
                }
                int seq = s.seq(meta.uid());
                if (seq == 0) {
                    return;
                }
                try {
                    failure[0] = message(session, s, seq, meta, items, newlySeen.contains(meta.uid()));
                } catch (StoreException e) {
                    if (e.reason() == StoreException.Reason.NONEXISTENT && Gone.isGone(s, meta.uid())) {
                        vanishedMeanwhile[0] = true;
                        return;
                    }
                    throw new Failure(e);
                } catch (MessageGone e) {
                    vanishedMeanwhile[0] = true;
                }
            });
        } catch (Failure f) {
            throw f.store;
        } catch (UncheckedIOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "Cannot read a message: "
                    + e.getCause().getMessage(), e);
        }
        if (failure[0] != null) {
            session.no(r.tag(), failure[0]);
            return;
        }
        if (!r.uid() && found[0] < uids.length && items.stream().allMatch(i -> i.kind == Kind.UID)) {
            // The session still shows the messages another one expunged, and their UIDs are what it
            // knows of them: answer those (RFC 2180 4.1) rather than leave a sequence number out.
            boolean all = true;
            for (long uid : uids) {
                int seq = s.seq(uid);
                if (!present.contains(uid) && seq > 0) {
                    session.untagged(seq + " FETCH (UID " + uid + ")");
                } else if (!present.contains(uid)) {
                    all = false;
                }
            }
            if (all && !vanishedMeanwhile[0]) {
                session.ok(r.tag(), "FETCH completed");
                return;
            }
        }
        if (!r.uid() && (vanishedMeanwhile[0] || found[0] < uids.length)) {
            // RFC 2180 4.1 / RFC 5530: the messages still there were fetched; the EXPUNGE of the
            // others comes at the next command that may carry it.
            session.ok(r.tag(), "[EXPUNGEISSUED] FETCH completed; some messages were expunged by another session");
            return;
        }
        session.ok(r.tag(), "FETCH completed");
    }

    private static Stream<MessageMeta> metas(Selected s, long[] uids) throws StoreException {
        List<org.postbus.api.store.UidRange> ranges = MessageSet.ranges(uids);
        if (ranges.size() == 1) {
            return s.mailbox().messages(ranges.get(0));
        }
        // One lazy stream over the whole span, filtered, rather than a store call per range.
        Set<Long> wanted = new HashSet<>();
        for (long u : uids) {
            wanted.add(u);
        }
        return s.mailbox().messages(new org.postbus.api.store.UidRange(uids[0], uids[uids.length - 1]))
                .filter(m -> wanted.contains(m.uid()));
    }

    /** Writes one FETCH response; returns a failure text for the tagged NO, or null. */
    private static String message(ImapSession session, Selected s, int seq, MessageMeta meta, List<Item> items,
            boolean newlySeen) throws StoreException {
        MessageContent content = null;
        MimeMessage mime = null;
        boolean needsParse = false;
        boolean headerEnough = true;
        boolean needsContent = false;
        for (Item i : items) {
            needsParse |= i.needsParse();
            headerEnough &= i.headerEnough();
            needsContent |= i.kind == Kind.SECTION || i.kind == Kind.BINARY || i.kind == Kind.BINARY_SIZE;
        }
        if (needsParse) {
            // ENVELOPE and the top-level header sections need only the header: a few KiB read
            // rather than the whole message.
            mime = headerEnough ? session.cachedHeader(s, meta.uid()) : session.cached(s, meta.uid());
        }
        if (needsContent || (needsParse && mime == null)) {
            content = s.mailbox().content(meta.uid());
        }
        if (needsParse && mime == null) {
            try {
                mime = headerEnough ? session.header(s, meta.uid(), content)
                        : session.parsed(s, meta.uid(), content);
            } catch (IOException e) {
                if (Gone.isGone(s, meta.uid())) {
                    throw new MessageGone();
                }
                throw new StoreException(StoreException.Reason.UNAVAILABLE, "Cannot read message " + meta.uid(), e);
            }
        }
        Response out = new Response(session.utf8());
        out.raw("* " + seq + " FETCH (");
        boolean first = true;
        boolean sent = false;
        List<Item> all = new ArrayList<>(items);
        if (newlySeen) {
            // The implicit \Seen is a flag change the client must hear of; under CONDSTORE with its
            // UID and new MODSEQ (RFC 7162 3.1).
            addIfMissing(all, Kind.FLAGS, "FLAGS");
            if (session.condstore()) {
                addIfMissing(all, Kind.UID, "UID");
                addIfMissing(all, Kind.MODSEQ, "MODSEQ");
            }
        }
        for (Item i : all) {
            if (i.kind == Kind.FLAGS) {
                // before any of this response is sent (a literal sends what precedes it)
                session.announceKeywords(s, meta.flags());
            }
        }
        for (Item i : all) {
            if (!first) {
                out.ch(' ');
            }
            first = false;
            switch (i.kind) {
                case UID -> out.raw("UID ").num(meta.uid());
                case FLAGS -> out.raw("FLAGS ").raw(session.flags(meta.flags(), s, meta.uid()));
                case INTERNALDATE -> out.raw("INTERNALDATE ").raw(DateTimes.format(meta.internalDate()));
                case SIZE -> out.raw("RFC822.SIZE ").num(meta.size());
                case MODSEQ -> out.raw("MODSEQ (").num(meta.modSeq()).ch(')');
                case EMAILID -> out.raw("EMAILID (").raw(meta.emailId()).ch(')');
                case THREADID -> out.raw("THREADID (").raw(meta.threadId()).ch(')');
                case SAVEDATE -> out.raw("SAVEDATE ").raw(DateTimes.format(meta.saveDate()));
                case ENVELOPE -> out.raw("ENVELOPE ").raw(ImapFormat.envelope(mime, session.utf8()));
                case BODYSTRUCTURE -> out.raw("BODYSTRUCTURE ").raw(ImapFormat.bodyStructure(mime, true,
                        session.utf8()));
                case BODY -> out.raw("BODY ").raw(ImapFormat.bodyStructure(mime, false, session.utf8()));
                case SECTION -> {
                    out.raw(i.label).ch(' ');
                    MessageContent part = Sections.body(mime, content, i.section);
                    literal(session, s, meta.uid(), sent, out, part, i, false);
                    sent = true;
                    out = new Response(session.utf8());
                }
                case BINARY, BINARY_SIZE -> {
                    MessageContent decoded;
                    try {
                        decoded = i.section != null ? Sections.body(mime, content, i.section)
                                : Sections.binary(mime, content, i.part);
                    } catch (UnknownEncodingException e) {
                        return "[UNKNOWN-CTE] Cannot decode content transfer encoding " + e.encoding();
                    }
                    out.raw(i.label).ch(' ');
                    if (i.kind == Kind.BINARY_SIZE) {
                        out.num(decoded.size());
                    } else {
                        literal(session, s, meta.uid(), sent, out, decoded, i, true);
                        sent = true;
                        out = new Response(session.utf8());
                    }
                }
                default -> throw new IllegalStateException(i.kind.name());
            }
        }
        out.raw(")").crlf();
        session.send(out);
        return null;
    }

    /**
     * Sends what is built so far, then the content (or its partial range) as a literal, streamed.
     * The content is opened first: if another session expunged the message and its bytes are
     * gone, and nothing of this message's response is out yet ({@code sent} false), the message is
     * left out instead of breaking off a response half written.
     */
    private static void literal(ImapSession session, Selected s, long uid, boolean sent, Response head,
            MessageContent content, Item i, boolean binary) {
        long size = content.size();
        long from = i.origin < 0 ? 0 : Math.min(i.origin, size);
        long n = i.origin < 0 ? size : Math.min(i.count, size - from);
        if (n == 0 && !binary) {
            head.raw("\"\"");
            session.send(head);
            return;
        }
        // RFC 3516: literal8 only where the decoded bytes hold a NUL, which a plain literal cannot carry.
        boolean eightBit = binary && hasNul(content, from, n);
        InputStream opened;
        try {
            opened = content.open(from, n);
        } catch (IOException e) {
            if (!sent && Gone.isGone(s, uid)) {
                throw new MessageGone();
            }
            throw new UncheckedIOException(e);
        }
        head.raw((eightBit ? "~{" : "{") + n + "}\r\n");
        session.send(head);
        try (InputStream in = opened) {
            byte[] buffer = new byte[(int) Math.min(65536, Math.max(n, 1))];
            long left = n;
            while (left > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    break;
                }
                session.send(java.util.Arrays.copyOf(buffer, read));
                left -= read;
            }
            if (left > 0) {
                // The content was shorter than it said: pad, so the client's parse stays in step.
                session.send(new byte[(int) left]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasNul(MessageContent content, long from, long n) {
        try (InputStream in = content.open(from, n)) {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int k = 0; k < read; k++) {
                    if (buffer[k] == 0) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void addIfMissing(List<Item> items, Kind kind, String label) {
        if (items.stream().noneMatch(i -> i.kind == kind)) {
            items.add(simple(kind, label));
        }
    }

    private static Item simple(Kind kind, String label) {
        return new Item(kind, label, null, null, -1, -1, false);
    }

    private static void item(ImapParser p, List<Item> items) throws ParseException {
        String name = p.word();
        switch (name) {
            case "UID" -> items.add(simple(Kind.UID, name));
            case "FLAGS" -> items.add(simple(Kind.FLAGS, name));
            case "INTERNALDATE" -> items.add(simple(Kind.INTERNALDATE, name));
            case "RFC822.SIZE" -> items.add(simple(Kind.SIZE, name));
            case "ENVELOPE" -> items.add(simple(Kind.ENVELOPE, name));
            case "BODYSTRUCTURE" -> items.add(simple(Kind.BODYSTRUCTURE, name));
            case "MODSEQ" -> items.add(simple(Kind.MODSEQ, name));
            case "EMAILID" -> items.add(simple(Kind.EMAILID, name));
            case "THREADID" -> items.add(simple(Kind.THREADID, name));
            case "SAVEDATE" -> items.add(simple(Kind.SAVEDATE, name));
            case "RFC822" -> items.add(new Item(Kind.SECTION, "RFC822", new Section(new int[0], Section.Text.NONE,
                    List.of()), null, -1, -1, true));
            case "RFC822.HEADER" -> items.add(new Item(Kind.SECTION, "RFC822.HEADER", new Section(new int[0],
                    Section.Text.HEADER, List.of()), null, -1, -1, false));
            case "RFC822.TEXT" -> items.add(new Item(Kind.SECTION, "RFC822.TEXT", new Section(new int[0],
                    Section.Text.TEXT, List.of()), null, -1, -1, true));
            case "BODY", "BODY.PEEK" -> {
                if (p.peek() != '[') {
                    if (name.equals("BODY")) {
                        items.add(simple(Kind.BODY, name));
                        return;
                    }
                    throw new ParseException("BODY.PEEK needs a section");
                }
                StringBuilder label = new StringBuilder("BODY[");
                Section section = section(p, label);
                label.append(']');
                long[] partial = partial(p, label);
                items.add(new Item(Kind.SECTION, label.toString(), section, null, partial[0], partial[1],
                        name.equals("BODY")));
            }
            case "BINARY", "BINARY.PEEK", "BINARY.SIZE" -> {
                StringBuilder label = new StringBuilder(name.equals("BINARY.SIZE") ? "BINARY.SIZE[" : "BINARY[");
                // RFC 3516 names only parts; HEADER, TEXT, MIME and HEADER.FIELDS are taken too (as
                // Dovecot and its imaptest suite do): they have no transfer encoding to undo, so they
                // give what BODY[...] gives.
                Section section = section(p, label);
                label.append(']');
                Section raw = section.text() == Section.Text.NONE ? null : section;
                if (name.equals("BINARY.SIZE")) {
                    items.add(new Item(Kind.BINARY_SIZE, label.toString(), raw, section.part(), -1, -1, false));
                    return;
                }
                long[] partial = partial(p, label);
                items.add(new Item(Kind.BINARY, label.toString(), raw, section.part(), partial[0], partial[1],
                        name.equals("BINARY")));
            }
            default -> throw new ParseException("Unknown FETCH item " + name);
        }
    }

    private static int[] part(ImapParser p, StringBuilder label) throws ParseException {
        List<Integer> numbers = new ArrayList<>();
        do {
            long n = p.nzNumber();
            if (n > 100_000) {
                throw new ParseException("Part number too large");
            }
            numbers.add((int) n);
            if (p.peek() == '.' ) {
                p.accept('.');
                if (!(p.peek() >= '0' && p.peek() <= '9')) {
                    label.append(join(numbers)).append('.');
                    return numbers.stream().mapToInt(Integer::intValue).toArray();
                }
            } else {
                break;
            }
        } while (true);
        label.append(join(numbers));
        return numbers.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String join(List<Integer> numbers) {
        StringBuilder out = new StringBuilder();
        for (int n : numbers) {
            out.append(out.length() > 0 ? "." : "").append(n);
        }
        return out.toString();
    }

    private static Section section(ImapParser p, StringBuilder label) throws ParseException {
        p.expect('[');
        int[] part = new int[0];
        if (p.peek() >= '0' && p.peek() <= '9') {
            part = part(p, label);
            if (p.peek() == ']' && label.charAt(label.length() - 1) == '.') {
                throw new ParseException("Missing HEADER, TEXT or MIME after the part number");
            }
            if (p.peek() == ']') {
                p.expect(']');
                return new Section(part, Section.Text.NONE, List.of());
            }
        }
        if (p.accept(']')) {
            return new Section(part, Section.Text.NONE, List.of());
        }
        String text = p.word();
        label.append(text);
        Section.Text kind;
        List<String> fields = List.of();
        switch (text) {
            case "HEADER" -> kind = Section.Text.HEADER;
            case "TEXT" -> kind = Section.Text.TEXT;
            case "MIME" -> {
                if (part.length == 0) {
                    throw new ParseException("MIME needs a part number");
                }
                kind = Section.Text.MIME;
            }
            case "HEADER.FIELDS", "HEADER.FIELDS.NOT" -> {
                kind = text.equals("HEADER.FIELDS") ? Section.Text.HEADER_FIELDS : Section.Text.HEADER_FIELDS_NOT;
                p.sp();
                p.expect('(');
                List<String> names = new ArrayList<>();
                do {
                    names.add(p.astring());
                } while (p.accept(' '));
                p.expect(')');
                fields = names;
                label.append(" (").append(String.join(" ", names).toUpperCase(java.util.Locale.ROOT)).append(')');
            }
            default -> throw new ParseException("Unknown section " + text);
        }
        p.expect(']');
        return new Section(part, kind, fields);
    }

    private static long[] partial(ImapParser p, StringBuilder label) throws ParseException {
        if (!p.accept('<')) {
            return new long[] {-1, -1};
        }
        long origin = p.number();
        // "<origin>" alone (to the end) is not in RFC 9051's grammar, but clients and Dovecot's
        // imaptest send it; it has only one sensible meaning.
        long count = p.accept('.') ? p.nzNumber() : Long.MAX_VALUE;
        p.expect('>');
        label.append('<').append(origin).append('>');
        return new long[] {origin, count};
    }

    /** A message expunged by another session before any of its response was written. */
    private static final class MessageGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MessageGone() {
            super(null, null, false, false);
        }
    }

    /** Carries a store failure out of a stream's lambda. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient StoreException store;

        Failure(StoreException store) {
            super(store.getMessage(), null, false, false);
            this.store = store;
        }
    }
}
