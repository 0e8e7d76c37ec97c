package org.postbus.imap.internal.command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.codec.DateTimes;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.SequenceSet;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.imap.internal.session.Selected;

/**
 * APPEND (RFC 9051 6.3.12) with MULTIAPPEND (RFC 3502), APPENDUID (RFC 4315), literal8 (RFC 3516)
 * and the UTF8 data extension (RFC 6855). Several messages are stored all or none.
 */
final class AppendCommand implements Command {

    private record Message(Flags flags, Instant date, MessageContent content) {
    }

    @Override
    public void execute(ImapSession session, Request r) throws ParseException, StoreException {
        ImapParser p = r.args();
        p.sp();
        String name = session.mailboxName(p.mailbox());
        List<Message> messages = new ArrayList<>();
        while (p.accept(' ')) {
            Flags flags = Flags.NONE;
            Instant date = null;
            if (p.peek() == '(') {
                flags = FlagNames.parse(p.flagList(false));
                p.sp();
            }
            if (p.peek() == '"') {
                date = DateTimes.parseDateTime(p.string());
                p.sp();
            }
            MessageContent content;
            if (p.acceptWord("UTF8")) {
                p.sp();
                p.expect('(');
                content = p.literalContent();
                p.expect(')');
            } else {
                if (!p.atLiteral()) {
                    throw new ParseException("Expected the message as a literal at " + p.describe());
                }
                content = p.literalContent();
            }
            messages.add(new Message(flags, date == null ? Instant.now() : date, content));
        }
        p.end();
        if (messages.isEmpty()) {
            throw new ParseException("Missing message");
        }
        for (Message m : messages) {
            if (m.content.size() == 0) {
                session.no(r.tag(), "Cannot store an empty message");
                return;
            }
        }
        Mailbox box;
        try {
            box = session.store().open(session.user(), name);
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.NONEXISTENT) {
                session.no(r.tag(), "[TRYCREATE] No such mailbox: create it first");
                return;
            }
            throw e;
        }
        List<Long> uids = new ArrayList<>();
        long validity;
        String boxId;
        try (box) {
            validity = box.info().uidValidity();
            boxId = box.info().id();
            try {
                for (Message m : messages) {
                    MessageMeta meta = box.append(new AppendRequest(m.content, m.flags, m.date));
                    uids.add(meta.uid());
                }
            } catch (StoreException e) {
                undo(box, uids);
                throw e;
            }
        }
        session.messagesAdded(boxId, uids.get(0));
        Selected s = session.selected();
        if (s != null && s.info().name().equals(name)) {
            s.touch();
        }
        session.ok(r.tag(), "[APPENDUID " + validity + " " + SequenceSet.format(uids) + "] APPEND completed");
    }

    /** Takes back the messages of a MULTIAPPEND stored before one failed. */
    private static void undo(Mailbox box, List<Long> uids) {
        if (uids.isEmpty()) {
            return;
        }
        try {
            long[] list = uids.stream().mapToLong(Long::longValue).toArray();
            box.updateFlags(MessageSet.ranges(list), FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
            box.expunge(MessageSet.ranges(list));
        } catch (StoreException e) {
            // The store failed twice; the first failure is what the client hears.
        }
    }
}
