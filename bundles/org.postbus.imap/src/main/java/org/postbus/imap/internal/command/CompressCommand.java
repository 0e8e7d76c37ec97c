package org.postbus.imap.internal.command;

import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.session.ImapSession;

/** COMPRESS DEFLATE (RFC 4978): OK, then both directions are raw DEFLATE streams. */
final class CompressCommand implements Command {

    @Override
    public void execute(ImapSession session, Request r) throws ParseException {
        r.args().sp();
        String mechanism = r.args().keyword();
        r.args().end();
        if (session.compressed()) {
            session.tagged(r.tag(), "NO [COMPRESSIONACTIVE] Compression is already active");
            return;
        }
        if (!mechanism.equals("DEFLATE")) {
            session.bad(r.tag(), "Unknown compression mechanism " + mechanism);
            return;
        }
        session.tagged(r.tag(), "OK DEFLATE active");
        session.startCompression();
    }
}
