package org.postbus.smtp.internal.command;

import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postbus.api.tls.TlsService;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STARTTLS (RFC 3207): 220, then TLS. Anything the client pipelined after the command is
 * dropped unread, and the session starts over: the client must EHLO again.
 */
final class StartTlsCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(StartTlsCommand.class);

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!argument.isBlank()) {
            session.refuse(Reply.of(501, "5.5.4", "Syntax: STARTTLS"));
            return;
        }
        if (session.secure()) {
            session.refuse(Reply.of(503, "5.5.1", "TLS already active"));
            return;
        }
        if (!session.settings().starttls()) {
            session.refuse(Reply.of(502, "5.5.1", "Command not implemented"));
            return;
        }
        if (session.transaction().isPresent()) {
            session.refuse(Reply.of(503, "5.5.1", "STARTTLS not allowed during a mail transaction"));
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
            session.reply(Reply.of(454, "4.7.0", "TLS not available due to temporary reason"));
            return;
        }
        session.reply(Reply.of(220, "2.0.0", "Ready to start TLS"));
        session.startTls(context, protocols);
    }
}
