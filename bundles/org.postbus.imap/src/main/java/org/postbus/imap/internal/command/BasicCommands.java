package org.postbus.imap.internal.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.session.ImapSession;

/**
 * The small commands: CAPABILITY, NOOP, CHECK, LOGOUT (RFC 9051 6.1, 6.4.1), ID (RFC 2971),
 * ENABLE (RFC 5161), NAMESPACE (RFC 2342) and UNAUTHENTICATE (RFC 8437).
 */
final class BasicCommands implements Command {

    @Override
    public void execute(ImapSession session, Request r) throws ParseException {
        ImapParser p = r.args();
        switch (r.name()) {
            case "CAPABILITY" -> {
                p.end();
                session.untagged("CAPABILITY " + session.capabilities());
                session.ok(r.tag(), "CAPABILITY completed");
            }
            case "NOOP", "CHECK" -> {
                p.end();
                if (session.selected() != null) {
                    // The client polls: look at the store even if no event said it changed.
                    session.selected().touch();
                }
                session.ok(r.tag(), r.name() + " completed");
            }
            case "LOGOUT" -> {
                p.end();
                session.untagged("BYE Logging out");
                session.tagged(r.tag(), "OK LOGOUT completed");
                session.logout();
            }
            case "ID" -> id(session, r, p);
            case "ENABLE" -> enable(session, r, p);
            case "NAMESPACE" -> {
                p.end();
                session.untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
                session.ok(r.tag(), "NAMESPACE completed");
            }
            case "UNAUTHENTICATE" -> {
                p.end();
                session.unauthenticate();
                session.tagged(r.tag(), "OK UNAUTHENTICATE completed; log in again");
            }
            default -> throw new IllegalStateException(r.name());
        }
    }

    private static void id(ImapSession session, Request r, ImapParser p) throws ParseException {
        p.sp();
        if (!p.acceptWord("NIL")) {
            p.expect('(');
            int pairs = 0;
            if (!p.accept(')')) {
                do {
                    p.string();
                    p.sp();
                    p.nstring();
                    if (++pairs > 30) {
                        throw new ParseException("Too many ID fields (at most 30)");
                    }
                } while (p.accept(' '));
                p.expect(')');
            }
        }
        p.end();
        session.untagged("ID (\"name\" \"Postbus\" \"vendor\" \"Postbus\" \"support-url\" NIL)");
        session.ok(r.tag(), "ID completed");
    }

    private static void enable(ImapSession session, Request r, ImapParser p) throws ParseException {
        List<String> enabled = new ArrayList<>();
        p.sp();
        do {
            String ext = p.atom();
            String upper = ext.toUpperCase(Locale.ROOT);
            boolean already = switch (upper) {
                case "IMAP4REV2" -> session.rev2();
                case "CONDSTORE" -> session.condstore();
                case "QRESYNC" -> session.qresync();
                case "UTF8=ACCEPT" -> session.utf8();
                default -> false;
            };
            if (session.enable(upper) && !already) {
                enabled.add(upper.equals("IMAP4REV2") ? "IMAP4rev2" : upper);
            }
        } while (p.accept(' '));
        p.end();
        session.untagged("ENABLED" + (enabled.isEmpty() ? "" : " " + String.join(" ", enabled)));
        session.ok(r.tag(), "ENABLE completed");
    }
}
