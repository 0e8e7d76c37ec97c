package org.postbus.imap.internal.command;

import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.session.ImapSession;

/** One IMAP command (or family); stateless, so one instance serves every session. */
public interface Command {

    /**
     * Runs the command and answers it (tagged, or by a continuation the session will follow).
     *
     * @throws ParseException the arguments are malformed: the session answers BAD
     * @throws StoreException the store refused: the session answers NO with the matching code
     */
    void execute(ImapSession session, Request request) throws ParseException, StoreException;
}
