package org.postbus.pop3.internal.command;

import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postbus.api.tls.TlsService;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Pop3Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STLS (RFC 2595 4): {@code +OK}, then TLS. Anything the client pipelined after the command is
 * dropped unread, and a USER given before is forgotten.
 */
final class StlsCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(StlsCommand.class);

    @Override
    public void execute(Pop3Session session, String argument) {
        if (!argument.isBlank()) {
            session.refuse(Reply.err("Syntax: STLS"));
            return;
        }
        if (session.secure()) {
            session.refuse(Reply.err("TLS already active"));
            return;
        }
        if (!session.settings().starttls()) {
            session.refuse(Reply.err("STLS not offered on this port"));
            return;
        }
        Optional<TlsService> tls = session.services().tls();
        SSLContext context;
        List<String> protocols;
        try {
            context = tls.map(TlsService::sslContext).orElse(null);
            protocols = tls.map(TlsService::protocols).orElse(List.of());
        } catch (RuntimeException e) {
            LOG.warn("{}: TLS service failed: {}", session.settings().healthName(), e.toString());
            context = null;
            protocols = List.of();
        }
        if (context == null) {
            session.reply(Reply.err(Reply.SYS_TEMP, "TLS not available now, try again later"));
            return;
        }
        session.reply(Reply.ok("Begin TLS negotiation"));
        session.startTls(context, protocols);
    }
}
