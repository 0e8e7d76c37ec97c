package org.postbus.imap.internal.command;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.SequenceSet;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.imap.internal.session.Selected;
import org.postbus.mime.ImapFormat;
import org.postbus.mime.SortKeys;
import org.postbus.mime.ThreadInput;
import org.postbus.mime.ThreadNode;
import org.postbus.mime.Threading;

/**
 * SEARCH (RFC 9051 6.4.4) with ESEARCH (RFC 4731) and SEARCHRES (RFC 5182) result options, and
 * SORT and THREAD (RFC 5256), each also as a UID command.
 */
final class SearchCommand implements Command {

    /** A matching message. */
    private record Hit(MessageMeta meta, int seq, SortKeys keys, ThreadInput thread) {
    }

    @Override
    public void execute(ImapSession session, Request r) throws ParseException, StoreException {
        boolean[] saving = {false};
        try {
            search(session, r, saving);
        } catch (ParseException | StoreException | RuntimeException e) {
            if (saving[0]) {
                // RFC 5182 2.1: a failed SEARCH ... RETURN (SAVE) leaves $ empty, not stale.
                session.savedSearch(new long[0]);
            }
            throw e;
        }
    }

    private void search(ImapSession session, Request r, boolean[] saving) throws ParseException, StoreException {
        ImapParser p = r.args();
        p.sp();
        Set<String> options = null;
        List<String> sortCriteria = null;
        String algorithm = null;
        if (r.name().equals("SEARCH") && p.acceptWord("RETURN")) {
            options = new LinkedHashSet<>();
            p.sp();
            p.expect('(');
            if (!p.accept(')')) {
                do {
                    String o = p.keyword();
                    if (!Set.of("MIN", "MAX", "ALL", "COUNT", "SAVE").contains(o)) {
                        throw new ParseException("Unknown search return option " + o);
                    }
                    options.add(o);
                    saving[0] |= o.equals("SAVE");
                } while (p.accept(' '));
                p.expect(')');
            }
            if (options.isEmpty()) {
                options.add("ALL");
            }
            p.sp();
        }
        String charset = null;
        if (r.name().equals("SORT")) {
            sortCriteria = sortCriteria(p);
            p.sp();
            charset = p.astring();
            p.sp();
        } else if (r.name().equals("THREAD")) {
            algorithm = p.keyword();
            if (!algorithm.equals("ORDEREDSUBJECT") && !algorithm.equals("REFERENCES")) {
                throw new ParseException("Unknown threading algorithm " + algorithm);
            }
            p.sp();
            charset = p.astring();
            p.sp();
        } else if (p.acceptWord("CHARSET")) {
            p.sp();
            charset = p.astring();
            p.sp();
        }
        if (charset != null && !charset.equalsIgnoreCase("UTF-8") && !charset.equalsIgnoreCase("US-ASCII")) {
            p.rest();
            if (saving[0]) {
                session.savedSearch(new long[0]);
            }
            session.no(r.tag(), "[BADCHARSET (US-ASCII UTF-8)] Unsupported charset " + charset);
            return;
        }
        SearchKey key = SearchKey.parseAll(p, session);
        Selected s = session.selected();
        List<Hit> hits = new ArrayList<>();
        long[] known = s.uids();
        boolean sorting = sortCriteria != null;
        boolean threading = algorithm != null;
        if (known.length > 0) {
            try (Stream<MessageMeta> metas = s.mailbox().messages(new UidRange(known[0], known[known.length - 1]))) {
                metas.forEach(meta -> {
                    int seq = s.seq(meta.uid());
                    if (seq == 0) {
                        return;
                    }
                    SearchKey.Candidate c = new SearchKey.Candidate(session, s, meta, seq);
                    try {
                        if (key.test(c)) {
                            hits.add(new Hit(meta, seq, sorting ? SortKeys.of(c.header()) : null,
                                    threading ? ThreadInput.of(r.uid() ? meta.uid() : seq, c.header(),
                                            meta.internalDate()) : null));
                        }
                    } catch (SearchKey.SearchFailure | UncheckedIOException e) {
                        // Another session expunged it while we read it: a message that is gone
                        // matches nothing (RFC 2180 4.3), the rest of the search stands.
                        if (!Gone.isGone(s, meta.uid())) {
                            throw e;
                        }
                    }
                });
            } catch (SearchKey.SearchFailure f) {
                throw f.store;
            } catch (UncheckedIOException e) {
                throw new StoreException(StoreException.Reason.UNAVAILABLE, "Cannot read a message", e);
            }
        }
        if (threading) {
            List<ThreadInput> inputs = hits.stream().map(Hit::thread).toList();
            List<ThreadNode> roots = algorithm.equals("REFERENCES") ? Threading.references(inputs)
                    : Threading.orderedSubject(inputs);
            session.untagged("THREAD" + (roots.isEmpty() ? "" : " " + ImapFormat.thread(roots)));
            session.ok(r.tag(), "THREAD completed");
            return;
        }
        if (sorting) {
            hits.sort(comparator(sortCriteria));
            StringBuilder out = new StringBuilder("SORT");
            for (Hit h : hits) {
                out.append(' ').append(r.uid() ? h.meta.uid() : h.seq);
            }
            session.untagged(out.toString());
            session.ok(r.tag(), "SORT completed");
            return;
        }
        long[] result = hits.stream().mapToLong(h -> r.uid() ? h.meta.uid() : h.seq).toArray();
        long[] resultUids = hits.stream().mapToLong(h -> h.meta.uid()).toArray();
        long maxModSeq = key.usesModSeq() ? hits.stream().mapToLong(h -> h.meta.modSeq()).max().orElse(0) : 0;
        if (options == null && !session.rev2()) {
            StringBuilder out = new StringBuilder("SEARCH");
            for (long n : result) {
                out.append(' ').append(n);
            }
            if (maxModSeq > 0) {
                out.append(" (MODSEQ ").append(maxModSeq).append(')');
            }
            session.untagged(out.toString());
            session.ok(r.tag(), "SEARCH completed");
            return;
        }
        if (options == null) {
            options = Set.of("ALL");
        }
        if (options.contains("SAVE")) {
            boolean min = options.contains("MIN");
            boolean max = options.contains("MAX");
            if ((min || max) && !options.contains("ALL") && !options.contains("COUNT") && resultUids.length > 0) {
                List<Long> saved = new ArrayList<>();
                if (min) {
                    saved.add(resultUids[0]);
                }
                if (max && resultUids.length > 0 && (!min || resultUids.length > 1)) {
                    saved.add(resultUids[resultUids.length - 1]);
                }
                session.savedSearch(saved.stream().mapToLong(Long::longValue).toArray());
            } else {
                session.savedSearch(resultUids);
            }
        }
        if (options.size() == 1 && options.contains("SAVE")) {
            session.ok(r.tag(), "SEARCH completed; result saved");
            return;
        }
        StringBuilder out = new StringBuilder("ESEARCH (TAG \"").append(r.tag()).append("\")");
        if (r.uid()) {
            out.append(" UID");
        }
        if (result.length > 0) {
            if (options.contains("MIN")) {
                out.append(" MIN ").append(result[0]);
            }
            if (options.contains("MAX")) {
                out.append(" MAX ").append(result[result.length - 1]);
            }
            if (options.contains("ALL")) {
                out.append(" ALL ").append(SequenceSet.format(result));
            }
        }
        if (options.contains("COUNT")) {
            out.append(" COUNT ").append(result.length);
        }
        if (maxModSeq > 0) {
            out.append(" MODSEQ ").append(maxModSeq);
        }
        session.untagged(out.toString());
        session.ok(r.tag(), "SEARCH completed");
    }

    private static List<String> sortCriteria(ImapParser p) throws ParseException {
        List<String> criteria = new ArrayList<>();
        p.expect('(');
        do {
            String c = p.keyword();
            switch (c) {
                case "ARRIVAL", "CC", "DATE", "FROM", "SIZE", "SUBJECT", "TO", "DISPLAYFROM", "DISPLAYTO" ->
                        criteria.add(c);
                case "REVERSE" -> {
                    p.sp();
                    String next = p.keyword();
                    if (next.equals("REVERSE")) {
                        throw new ParseException("REVERSE REVERSE");
                    }
                    criteria.add("-" + next);
                }
                default -> throw new ParseException("Unknown sort criterion " + c);
            }
        } while (p.accept(' '));
        p.expect(')');
        for (String c : criteria) {
            String bare = c.startsWith("-") ? c.substring(1) : c;
            if (!Set.of("ARRIVAL", "CC", "DATE", "FROM", "SIZE", "SUBJECT", "TO", "DISPLAYFROM", "DISPLAYTO")
                    .contains(bare)) {
                throw new ParseException("Unknown sort criterion " + bare);
            }
        }
        return criteria;
    }

    private static Comparator<Hit> comparator(List<String> criteria) {
        Comparator<Hit> all = null;
        for (String c : criteria) {
            boolean reverse = c.startsWith("-");
            String bare = reverse ? c.substring(1) : c;
            Comparator<Hit> one = switch (bare) {
                case "ARRIVAL" -> Comparator.comparing((Hit h) -> seconds(h.meta.internalDate()));
                case "CC" -> Comparator.comparing((Hit h) -> fold(h.keys.ccMailbox()));
                case "DATE" -> Comparator.comparing((Hit h) -> seconds(h.keys.sentDate().orElse(h.meta.internalDate())));
                case "FROM" -> Comparator.comparing((Hit h) -> fold(h.keys.fromMailbox()));
                case "SIZE" -> Comparator.comparingLong((Hit h) -> h.meta.size());
                case "SUBJECT" -> Comparator.comparing((Hit h) -> fold(h.keys.baseSubject()));
                case "TO" -> Comparator.comparing((Hit h) -> fold(h.keys.toMailbox()));
                case "DISPLAYFROM" -> Comparator.comparing((Hit h) -> fold(h.keys.fromDisplay()));
                case "DISPLAYTO" -> Comparator.comparing((Hit h) -> fold(h.keys.toDisplay()));
                default -> throw new IllegalStateException(bare);
            };
            if (reverse) {
                one = one.reversed();
            }
            all = all == null ? one : all.thenComparing(one);
        }
        Comparator<Hit> bySeq = Comparator.comparingInt(Hit::seq);
        return all == null ? bySeq : all.thenComparing(bySeq);
    }

    /** The i;unicode-casemap collation key of RFC 5051, which RFC 5256 sorts by: titlecase, then NFKD. */
    static String fold(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        StringBuilder title = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> title.appendCodePoint(Character.toTitleCase(cp)));
        return java.text.Normalizer.normalize(title, java.text.Normalizer.Form.NFKD);
    }

    /** Dates compare to the second, as IMAP states them; equal ones fall back to the sequence. */
    private static java.time.Instant seconds(java.time.Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

}
