package org.postbus.pop3.internal.command;

import java.io.IOException;
import java.io.InputStream;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.StoreException;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Pop3Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a message from the store for RETR and TOP, and answers with it or with why not. */
final class Contents {

    private static final Logger LOG = LoggerFactory.getLogger(Contents.class);

    private Contents() {
    }

    static void send(Pop3Session session, int number, long bodyLines, Reply ok) {
        InputStream in;
        try {
            MessageContent content = session.maildrop().content(number);
            in = content.open();
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.NONEXISTENT) {
                session.reply(Reply.err("Message " + number + " was removed by another session"));
            } else {
                unavailable(session, number, e);
            }
            return;
        } catch (IOException | RuntimeException e) {
            unavailable(session, number, e);
            return;
        }
        session.message(ok, in, bodyLines);
    }

    private static void unavailable(Pop3Session session, int number, Exception e) {
        LOG.warn("{}: cannot read message {} of {}: {}", session.settings().healthName(), number,
                session.user().map(account -> account.username()).orElse("?"), e.toString());
        session.reply(Reply.err(Reply.SYS_TEMP, "Cannot read the message now, try again later"));
    }
}
