package org.postbus.imap.internal.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.SpecialUse;
import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.Response;
import org.postbus.imap.internal.session.ImapSession;

/**
 * LIST and LSUB (RFC 9051 6.3.9, RFC 3501 6.3.9) with LIST-EXTENDED (RFC 5258) selection and
 * return options, SPECIAL-USE (RFC 6154), CHILDREN (RFC 3348) and LIST-STATUS (RFC 5819).
 */
final class ListCommand implements Command {

    @Override
    public void execute(ImapSession session, Request r) throws ParseException, StoreException {
        ImapParser p = r.args();
        boolean lsub = r.name().equals("LSUB");
        boolean selSubscribed = lsub;
        boolean selSpecialUse = false;
        boolean recursive = false;
        boolean extended = false;
        p.sp();
        if (!lsub && p.peek() == '(') {
            extended = true;
            p.expect('(');
            if (!p.accept(')')) {
                do {
                    String opt = p.keyword();
                    switch (opt) {
                        case "SUBSCRIBED" -> selSubscribed = true;
                        case "SPECIAL-USE" -> selSpecialUse = true;
                        case "RECURSIVEMATCH" -> recursive = true;
                        case "REMOTE" -> { }
                        default -> throw new ParseException("Unknown LIST selection option " + opt);
                    }
                } while (p.accept(' '));
                p.expect(')');
            }
            p.sp();
        }
        if (recursive && !selSubscribed && !selSpecialUse) {
            throw new ParseException("RECURSIVEMATCH needs another selection option");
        }
        String reference = p.mailbox();
        p.sp();
        List<String> patterns = new ArrayList<>();
        if (!lsub && p.peek() == '(') {
            extended = true;
            p.expect('(');
            do {
                patterns.add(p.listMailbox());
            } while (p.accept(' '));
            p.expect(')');
        } else {
            patterns.add(p.listMailbox());
        }
        boolean retSubscribed = false;
        List<String> statusItems = null;
        if (!lsub && p.accept(' ')) {
            if (!p.acceptWord("RETURN")) {
                throw new ParseException("Expected RETURN at " + p.describe());
            }
            p.sp();
            p.expect('(');
            if (!p.accept(')')) {
                do {
                    String opt = p.keyword();
                    switch (opt) {
                        case "SUBSCRIBED" -> retSubscribed = true;
                        case "CHILDREN" -> { }
                        case "SPECIAL-USE" -> { }
                        case "STATUS" -> {
                            p.sp();
                            statusItems = StatusCommand.items(p);
                        }
                        default -> throw new ParseException("Unknown LIST return option " + opt);
                    }
                } while (p.accept(' '));
                p.expect(')');
            }
        }
        p.end();
        if (patterns.size() == 1 && patterns.get(0).isEmpty() && !selSubscribed && !selSpecialUse) {
            session.untagged(r.name() + " (\\Noselect) \"/\" \"\"");
            session.ok(r.tag(), r.name() + " completed");
            return;
        }
        MailStore store = session.store();
        List<MailboxInfo> boxes = store.mailboxes(session.user());
        Map<String, MailboxInfo> byName = new LinkedHashMap<>();
        for (MailboxInfo b : boxes) {
            byName.put(b.name(), b);
        }
        java.util.NavigableSet<String> sortedNames = new TreeSet<>(byName.keySet());
        Set<String> subscribed = new TreeSet<>(store.subscriptions(session.user()));
        List<Pattern> regexes = new ArrayList<>();
        for (String pattern : patterns) {
            regexes.add(regex(session.mailboxName(reference.isEmpty() ? pattern : join(reference, pattern))));
        }
        Set<String> candidates = new TreeSet<>(byName.keySet());
        if (!selSubscribed && !selSpecialUse) {
            // Levels above existing mailboxes are listed too (RFC 9051 6.3.9), as non-existent.
            for (String name : byName.keySet()) {
                for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
                    candidates.add(name.substring(0, i));
                }
            }
        }
        // RFC 3501 6.3.9: LSUB with a trailing % also returns unsubscribed levels above, as \Noselect.
        boolean lsubLevels = lsub && patterns.get(0).endsWith("%");
        if (selSubscribed) {
            candidates = new TreeSet<>(subscribed);
            if (recursive || lsubLevels) {
                for (String s : subscribed) {
                    for (int i = s.indexOf('/'); i > 0; i = s.indexOf('/', i + 1)) {
                        candidates.add(s.substring(0, i));
                    }
                }
            }
        }
        for (String name : candidates) {
            if (!matches(regexes, name)) {
                continue;
            }
            MailboxInfo info = byName.get(name);
            boolean isSubscribed = subscribed.contains(name);
            boolean childSubscribed = false;
            if (selSubscribed && !isSubscribed) {
                for (String s : subscribed) {
                    // RECURSIVEMATCH lists a parent for a subscribed descendant the patterns leave
                    // out; one listed in its own right needs no parent entry (as Dovecot and
                    // imaptest's listext read RFC 5258 3).
                    if (s.startsWith(name + "/") && (lsub || !matches(regexes, s))) {
                        childSubscribed = true;
                        break;
                    }
                }
                if (!((recursive || lsubLevels) && childSubscribed)) {
                    continue;
                }
            }
            if (selSpecialUse && (info == null || info.specialUse().isEmpty())) {
                if (!(recursive && hasSpecialChild(byName, name))) {
                    continue;
                }
            }
            List<String> attrs = new ArrayList<>();
            if (info == null || (lsub && !isSubscribed)) {
                attrs.add(lsub || !(extended || session.rev2()) ? "\\Noselect" : "\\NonExistent");
            }
            if (!lsub) {
                if (info != null || !selSubscribed) {
                    attrs.add(hasChildren(sortedNames, name) ? "\\HasChildren" : "\\HasNoChildren");
                }
                if ((selSubscribed || retSubscribed) && isSubscribed) {
                    attrs.add("\\Subscribed");
                }
                if (info != null) {
                    for (SpecialUse u : SpecialUse.values()) {
                        if (info.specialUse().contains(u)) {
                            attrs.add(u.imapName());
                        }
                    }
                }
            }
            Response out = new Response(session.utf8()).raw("* " + r.name() + " (" + String.join(" ", attrs)
                    + ") \"/\" ");
            out.astring(session.clientName(name));
            if (recursive && childSubscribed && !isSubscribed) {
                out.raw(" (\"CHILDINFO\" (\"SUBSCRIBED\"))");
            }
            session.send(out.crlf());
            if (statusItems != null && info != null) {
                try {
                    StatusCommand.status(session, info.name(), statusItems);
                } catch (StoreException e) {
                    // A mailbox that vanished or cannot be read is listed without its STATUS.
                }
            }
        }
        session.ok(r.tag(), r.name() + " completed");
    }

    /**
     * The reference followed by the pattern, as RFC 3501 6.3.8 / RFC 9051 6.3.9 show it: a reference
     * that names a level ends in the separator itself ("a/" + "%"), while "a" + "%" also matches
     * "ab". Only a doubled separator is merged.
     */
    private static String join(String reference, String pattern) {
        if (reference.endsWith("/") && pattern.startsWith("/")) {
            return reference + pattern.substring(1);
        }
        return reference + pattern;
    }

    /**
     * The attributes LIST would give an existing mailbox, for the {@code LIST} response of an
     * IMAP4rev2 SELECT (RFC 9051 6.3.2: "the list of mailbox attributes MUST be accurate").
     */
    static List<String> attributes(ImapSession session, MailboxInfo info) throws StoreException {
        MailStore store = session.store();
        java.util.NavigableSet<String> names = new TreeSet<>();
        for (MailboxInfo b : store.mailboxes(session.user())) {
            names.add(b.name());
        }
        List<String> attrs = new ArrayList<>();
        attrs.add(hasChildren(names, info.name()) ? "\\HasChildren" : "\\HasNoChildren");
        if (store.subscriptions(session.user()).contains(info.name())) {
            attrs.add("\\Subscribed");
        }
        for (SpecialUse u : SpecialUse.values()) {
            if (info.specialUse().contains(u)) {
                attrs.add(u.imapName());
            }
        }
        return attrs;
    }

    private static boolean hasChildren(java.util.NavigableSet<String> names, String name) {
        String prefix = name + "/";
        String next = names.ceiling(prefix);
        return next != null && next.startsWith(prefix);
    }

    private static boolean hasSpecialChild(Map<String, MailboxInfo> byName, String name) {
        String prefix = name + "/";
        for (MailboxInfo other : byName.values()) {
            if (other.name().startsWith(prefix) && !other.specialUse().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(List<Pattern> regexes, String name) {
        for (Pattern p : regexes) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** A LIST pattern as a regular expression; "INBOX" matches without case. */
    static Pattern regex(String pattern) {
        StringBuilder out = new StringBuilder();
        String rest = pattern;
        if (pattern.regionMatches(true, 0, MailStore.INBOX, 0, 5)
                && (pattern.length() == 5 || pattern.charAt(5) == '/')) {
            out.append("INBOX");
            rest = pattern.substring(5);
        }
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '*' || c == '%') {
                if (literal.length() > 0) {
                    out.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                out.append(c == '*' ? ".*" : "[^/]*");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            out.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(out.toString(), Pattern.DOTALL);
    }
}
