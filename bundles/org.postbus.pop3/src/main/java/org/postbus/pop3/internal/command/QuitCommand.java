package org.postbus.pop3.internal.command;

import org.postbus.api.store.StoreException;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Maildrop;
import org.postbus.pop3.internal.session.Pop3Session;
import org.postbus.pop3.internal.session.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QUIT (RFC 1939 4 and 6): before login, just goodbye; after it, the UPDATE state removes the
 * messages marked deleted, which IMAP sessions then see gone.
 */
final class QuitCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(QuitCommand.class);

    @Override
    public void execute(Pop3Session session, String argument) {
        if (!argument.isBlank()) {
            session.refuse(Reply.err("Syntax: QUIT"));
            return;
        }
        if (session.state() == State.AUTHORIZATION) {
            session.reply(Reply.ok("Postbus POP3 server signing off"));
            session.close();
            return;
        }
        session.update();
        Maildrop maildrop = session.maildrop();
        try {
            maildrop.commit();
            int left = maildrop.count();
            session.reply(Reply.ok("Postbus POP3 server signing off ("
                    + (left == 0 ? "maildrop empty)" : left + (left == 1 ? " message left)" : " messages left)"))));
        } catch (StoreException | RuntimeException e) {
            LOG.warn("{}: removing {} messages of {} failed: {}", session.settings().healthName(), maildrop.marked(),
                    session.user().map(account -> account.username()).orElse("?"), e.toString());
            session.reply(Reply.err(Reply.SYS_TEMP, "Some deleted messages not removed, try again later"));
        }
        session.close();
    }
}
