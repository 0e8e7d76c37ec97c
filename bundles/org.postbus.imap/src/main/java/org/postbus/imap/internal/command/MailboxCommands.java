package org.postbus.imap.internal.command;

import java.util.EnumSet;
import java.util.Set;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.SpecialUse;
import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.session.ImapSession;

/**
 * CREATE (with USE, RFC 6154), DELETE, RENAME, SUBSCRIBE and UNSUBSCRIBE (RFC 9051 6.3.4 to
 * 6.3.8).
 */
final class MailboxCommands implements Command {

    @Override
    public void execute(ImapSession session, Request r) throws ParseException, StoreException {
        ImapParser p = r.args();
        p.sp();
        String name = session.mailboxName(p.mailbox());
        MailStore store;
        switch (r.name()) {
            case "CREATE" -> {
                Set<SpecialUse> use = EnumSet.noneOf(SpecialUse.class);
                if (p.accept(' ')) {
                    p.expect('(');
                    do {
                        if (!p.acceptWord("USE")) {
                            throw new ParseException("Unknown CREATE parameter at " + p.describe());
                        }
                        p.sp();
                        for (String attr : p.flagList(false)) {
                            SpecialUse u = specialUse(attr);
                            if (u == null) {
                                p.rest();
                                session.no(r.tag(), "[USEATTR] Unsupported special-use attribute " + attr);
                                return;
                            }
                            use.add(u);
                        }
                    } while (p.accept(' '));
                    p.expect(')');
                }
                p.end();
                if (name.isEmpty() || !valid(name)) {
                    session.no(r.tag(), "[CANNOT] Invalid mailbox name: no wildcards, control characters or"
                            + " empty levels");
                    return;
                }
                if (name.equals(MailStore.INBOX)) {
                    session.no(r.tag(), "[ALREADYEXISTS] INBOX always exists");
                    return;
                }
                store = session.store();
                org.postbus.api.store.MailboxInfo created = store.create(session.user(), name, use);
                session.ok(r.tag(), "[MAILBOXID (" + created.id() + ")] CREATE completed");
            }
            case "DELETE" -> {
                p.end();
                if (name.equals(MailStore.INBOX)) {
                    session.no(r.tag(), "[CANNOT] INBOX cannot be deleted");
                    return;
                }
                store = session.store();
                if (session.selected() != null && session.selected().info().name().equals(name)) {
                    // The client deletes the mailbox it has open: the view goes with it.
                    session.deselect();
                }
                store.delete(session.user(), name);
                session.ok(r.tag(), "DELETE completed");
            }
            case "RENAME" -> {
                p.sp();
                String to = session.mailboxName(p.mailbox());
                p.end();
                if (!valid(to)) {
                    session.no(r.tag(), "[CANNOT] Invalid mailbox name: no wildcards, control characters or"
                            + " empty levels");
                    return;
                }
                if (to.equals(MailStore.INBOX)) {
                    session.no(r.tag(), "[ALREADYEXISTS] INBOX always exists");
                    return;
                }
                session.store().rename(session.user(), name, to);
                session.ok(r.tag(), "RENAME completed");
            }
            case "SUBSCRIBE", "UNSUBSCRIBE" -> {
                p.end();
                session.store().subscribe(session.user(), name, r.name().equals("SUBSCRIBE"));
                session.ok(r.tag(), r.name() + " completed");
            }
            default -> throw new IllegalStateException(r.name());
        }
    }

    /** Whether a new name can be listed and selected: LIST's wildcards and control characters are out. */
    static boolean valid(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("//")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '*' || c == '%' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    static SpecialUse specialUse(String attribute) {
        for (SpecialUse u : SpecialUse.values()) {
            if (u.imapName().equalsIgnoreCase(attribute)) {
                return u;
            }
        }
        return null;
    }
}
