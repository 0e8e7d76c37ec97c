package org.postbus.imap.internal.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postbus.api.store.Flag;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.codec.DateTimes;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.SequenceSet;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.imap.internal.session.Selected;
import org.postbus.mime.MessageText;
import org.postbus.mime.MimeMessage;

/** A SEARCH criterion (RFC 9051 6.4.4), parsed into a tree and tested message by message. */
abstract class SearchKey {

    /** One message under test; its content is read only if a key needs it. */
    static final class Candidate {
        final ImapSession session;
        final Selected selected;
        final MessageMeta meta;
        final int seq;
        private MessageContent content;
        private MimeMessage mime;

        Candidate(ImapSession session, Selected selected, MessageMeta meta, int seq) {
            this.session = session;
            this.selected = selected;
            this.meta = meta;
            this.seq = seq;
        }

        MessageContent content() {
            if (content == null) {
                try {
                    content = selected.mailbox().content(meta.uid());
                } catch (StoreException e) {
                    throw new SearchFailure(e);
                }
            }
            return content;
        }

        /** The full parse, for body and text searches. */
        MimeMessage mime() {
            if (mime == null || mime.headerOnly()) {
                mime = session.cached(selected, meta.uid());
            }
            if (mime == null) {
                try {
                    mime = session.parsed(selected, meta.uid(), content());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return mime;
        }

        /**
         * The top-level header parsed (a full parse when one is at hand), for header searches,
         * sent dates, sorting and threading: reads a few KiB rather than the whole message.
         */
        MimeMessage header() {
            if (mime == null) {
                mime = session.cachedHeader(selected, meta.uid());
            }
            if (mime == null) {
                try {
                    mime = session.header(selected, meta.uid(), content());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return mime;
        }
    }

    /** Carries a store failure out of a search. */
    static final class SearchFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient StoreException store;

        SearchFailure(StoreException store) {
            super(store.getMessage(), null, false, false);
            this.store = store;
        }
    }

    abstract boolean test(Candidate c);

    /** Whether the key used MODSEQ (the response then carries the highest MODSEQ). */
    boolean usesModSeq() {
        return false;
    }

    // ---- parsing

    /** Parses the keys up to the end of the command (an implicit AND). */
    static SearchKey parseAll(ImapParser p, ImapSession session) throws ParseException {
        List<SearchKey> keys = new ArrayList<>();
        do {
            keys.add(parse(p, session, 0));
        } while (p.accept(' '));
        p.end();
        return keys.size() == 1 ? keys.get(0) : new And(keys);
    }

    static SearchKey parse(ImapParser p, ImapSession session, int depth) throws ParseException {
        if (depth > 100) {
            throw new ParseException("Search criteria nested too deeply");
        }
        if (p.accept('(')) {
            List<SearchKey> keys = new ArrayList<>();
            do {
                keys.add(parse(p, session, depth + 1));
            } while (p.accept(' '));
            p.expect(')');
            return new And(keys);
        }
        if (p.atSequenceSet()) {
            SequenceSet set = p.sequenceSet();
            return new InSet(set, false, session);
        }
        String name = p.keyword();
        switch (name) {
            case "ALL": return fixed(c -> true);
            case "ANSWERED": return flag(Flag.ANSWERED, true);
            case "DELETED": return flag(Flag.DELETED, true);
            case "DRAFT": return flag(Flag.DRAFT, true);
            case "FLAGGED": return flag(Flag.FLAGGED, true);
            case "SEEN": return flag(Flag.SEEN, true);
            case "UNANSWERED": return flag(Flag.ANSWERED, false);
            case "UNDELETED": return flag(Flag.DELETED, false);
            case "UNDRAFT": return flag(Flag.DRAFT, false);
            case "UNFLAGGED": return flag(Flag.FLAGGED, false);
            case "UNSEEN": return flag(Flag.SEEN, false);
            case "RECENT": return fixed(c -> c.selected.isRecent(c.meta.uid()));
            case "OLD": return fixed(c -> !c.selected.isRecent(c.meta.uid()));
            case "NEW": return fixed(c -> c.selected.isRecent(c.meta.uid()) && !c.meta.flags().has(Flag.SEEN));
            case "KEYWORD", "UNKEYWORD": {
                p.sp();
                String keyword = p.atom();
                boolean want = name.equals("KEYWORD");
                return fixed(c -> hasKeyword(c.meta, keyword) == want);
            }
            case "SUBJECT": {
                p.sp();
                String needle = p.astring();
                return fixed(c -> MessageText.headerContains(c.header(), "Subject", needle));
            }
            case "BCC", "CC", "FROM", "TO": {
                p.sp();
                String needle = p.astring();
                String field = name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
                return fixed(c -> MessageText.addressContains(c.header(), field, needle));
            }
            case "HEADER": {
                p.sp();
                String field = p.astring();
                p.sp();
                String needle = p.astring();
                return fixed(c -> MessageText.headerContains(c.header(), field, needle));
            }
            case "BODY": {
                p.sp();
                String needle = p.astring();
                return fixed(c -> MessageText.bodyContains(c.mime(), c.content(), needle));
            }
            case "TEXT": {
                p.sp();
                String needle = p.astring();
                return fixed(c -> MessageText.textContains(c.mime(), c.content(), needle));
            }
            case "BEFORE", "ON", "SINCE": {
                LocalDate date = date(p);
                return dateKey(name, date, c -> day(c.meta.internalDate()));
            }
            case "SENTBEFORE", "SENTON", "SENTSINCE": {
                LocalDate date = date(p);
                // A message without a Date: field matches no SENT* key (as Dovecot does).
                return dateKey(name.substring(4), date, SearchKey::sentDay);
            }
            case "SAVEDBEFORE", "SAVEDON", "SAVEDSINCE": {
                LocalDate date = date(p);
                return dateKey(name.substring(5), date, c -> day(c.meta.saveDate()));
            }
            case "SAVEDATESUPPORTED": return fixed(c -> true);
            case "LARGER": {
                p.sp();
                long n = p.number();
                return fixed(c -> c.meta.size() > n);
            }
            case "SMALLER": {
                p.sp();
                long n = p.number();
                return fixed(c -> c.meta.size() < n);
            }
            case "UID": {
                p.sp();
                SequenceSet set = p.sequenceSet();
                return new InSet(set, true, session);
            }
            case "NOT": {
                p.sp();
                SearchKey inner = parse(p, session, depth + 1);
                return new SearchKey() {
                    @Override
                    boolean test(Candidate c) {
                        return !inner.test(c);
                    }

                    @Override
                    boolean usesModSeq() {
                        return inner.usesModSeq();
                    }
                };
            }
            case "OR": {
                p.sp();
                SearchKey a = parse(p, session, depth + 1);
                p.sp();
                SearchKey b = parse(p, session, depth + 1);
                return new SearchKey() {
                    @Override
                    boolean test(Candidate c) {
                        return a.test(c) || b.test(c);
                    }

                    @Override
                    boolean usesModSeq() {
                        return a.usesModSeq() || b.usesModSeq();
                    }
                };
            }
            case "MODSEQ": {
                p.sp();
                if (p.peek() == '"') {
                    p.string();
                    p.sp();
                    String type = p.keyword();
                    if (!type.equals("PRIV") && !type.equals("SHARED") && !type.equals("ALL")) {
                        throw new ParseException("Invalid MODSEQ entry type " + type);
                    }
                    p.sp();
                }
                long n = p.number();
                session.condstoreUsed();
                return new SearchKey() {
                    @Override
                    boolean test(Candidate c) {
                        return c.meta.modSeq() >= n;
                    }

                    @Override
                    boolean usesModSeq() {
                        return true;
                    }
                };
            }
            case "EMAILID": {
                p.sp();
                String id = p.atom();
                return fixed(c -> c.meta.emailId().equals(id));
            }
            case "THREADID": {
                p.sp();
                String id = p.atom();
                return fixed(c -> c.meta.threadId().equals(id));
            }
            default:
                throw new ParseException("Unknown search key " + name);
        }
    }

    private static LocalDate date(ImapParser p) throws ParseException {
        p.sp();
        return DateTimes.parseDate(p.peek() == '"' ? p.string() : p.atom());
    }

    /** The day of the Date: field in its own zone (RFC 9051: time and zone are disregarded), or null. */
    private static LocalDate sentDay(Candidate c) {
        if (c.header().header("Date").isEmpty()) {
            return null;
        }
        for (String value : c.header().header("Date")) {
            String text = value.replaceAll("\\([^)]*\\)", " ").strip().replaceAll("\\s+", " ");
            try {
                return java.time.ZonedDateTime.parse(text, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toLocalDate();
            } catch (java.time.format.DateTimeParseException e) {
                break;
            }
        }
        return c.header().sentDate().map(SearchKey::day).orElse(null);
    }

    private static LocalDate day(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static SearchKey dateKey(String op, LocalDate date, java.util.function.Function<Candidate, LocalDate> of) {
        return switch (op) {
            case "BEFORE" -> fixed(c -> {
                LocalDate d = of.apply(c);
                return d != null && d.isBefore(date);
            });
            case "ON" -> fixed(c -> {
                LocalDate d = of.apply(c);
                return d != null && d.isEqual(date);
            });
            default -> fixed(c -> {
                LocalDate d = of.apply(c);
                return d != null && !d.isBefore(date);
            });
        };
    }

    private static boolean hasKeyword(MessageMeta meta, String keyword) {
        for (String k : meta.flags().keywords()) {
            if (k.equalsIgnoreCase(keyword)) {
                return true;
            }
        }
        return false;
    }

    private static SearchKey flag(Flag flag, boolean set) {
        return fixed(c -> c.meta.flags().has(flag) == set);
    }

    private static SearchKey fixed(java.util.function.Predicate<Candidate> test) {
        return new SearchKey() {
            @Override
            boolean test(Candidate c) {
                return test.test(c);
            }
        };
    }

    /** A set of messages by number or UID ($ included), resolved when the search starts. */
    private static final class InSet extends SearchKey {
        private final long[] uids;

        InSet(SequenceSet set, boolean byUid, ImapSession session) {
            Selected s = session.selected();
            if (set.saved()) {
                uids = session.savedSearch().clone();
            } else if (byUid) {
                uids = set.resolveUids(s.uids());
            } else {
                uids = set.resolveSequence(s.uids());
            }
        }

        @Override
        boolean test(Candidate c) {
            return java.util.Arrays.binarySearch(uids, c.meta.uid()) >= 0;
        }
    }

    private static final class And extends SearchKey {
        private final List<SearchKey> keys;

        And(List<SearchKey> keys) {
            this.keys = keys;
        }

        @Override
        boolean test(Candidate c) {
            for (SearchKey k : keys) {
                if (!k.test(c)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        boolean usesModSeq() {
            return keys.stream().anyMatch(SearchKey::usesModSeq);
        }
    }
}
