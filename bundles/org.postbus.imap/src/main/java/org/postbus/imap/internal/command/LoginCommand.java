package org.postbus.imap.internal.command;

import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.session.ImapSession;

/** LOGIN (RFC 9051 6.2.3): refused without TLS unless allowed for loopback clients. */
final class LoginCommand implements Command {

    @Override
    public void execute(ImapSession session, Request r) throws ParseException {
        ImapParser p = r.args();
        p.sp();
        String user = p.astring();
        p.sp();
        String password = p.astring();
        p.end();
        if (!Authenticator.mayTry(session, r.tag())) {
            return;
        }
        Authenticator.verify(session, r.tag(), user, password.toCharArray());
    }
}
