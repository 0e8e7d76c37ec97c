package org.postbus.imap.internal.command;

import java.util.List;
import javax.net.ssl.SSLContext;
import org.postbus.api.tls.TlsService;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.session.ImapSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STARTTLS (RFC 9051 6.2.1): OK, then TLS. Anything the client pipelined after the command is
 * dropped unread (the STARTTLS command injection defence), and the client must ask for the
 * capabilities again.
 */
final class StartTlsCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(StartTlsCommand.class);

    @Override
    public void execute(ImapSession session, Request r) throws ParseException {
        r.args().end();
        if (session.secure()) {
            session.bad(r.tag(), "TLS is already active");
            return;
        }
        if (!session.settings().starttls() || session.compressed()) {
            session.bad(r.tag(), "STARTTLS is not offered here");
            return;
        }
        SSLContext context = null;
        List<String> protocols = List.of();
        try {
            TlsService tls = session.tls().orElse(null);
            if (tls != null) {
                context = tls.sslContext();
                protocols = tls.protocols();
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: TLS service failed: {}", session.settings().healthName(), e.toString());
        }
        if (context == null) {
            session.tagged(r.tag(), "NO [UNAVAILABLE] TLS is not available now; try again later");
            return;
        }
        session.tagged(r.tag(), "OK Begin TLS negotiation now");
        session.startTls(context, protocols);
    }
}
