package org.postbus.smtp.internal.command;

import java.util.List;
import java.util.Optional;
import org.postbus.api.directory.Directory;
import org.postbus.api.directory.Domain;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.SmtpSession;
import org.postbus.smtp.internal.session.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RCPT TO (RFC 5321 4.1.1.3). An address in a local domain must reach someone (550 5.1.1
 * otherwise); any other domain is accepted only from an authenticated client (554 5.7.1
 * otherwise): never an open relay. {@code <Postmaster>} alone means the postmaster of the first
 * local domain (RFC 5321 4.5.1).
 */
final class RcptCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(RcptCommand.class);
    private static final String PREFIX = "TO:";

    @Override
    public void execute(SmtpSession session, String argument) {
        try {
            Transaction transaction = session.transaction()
                    .orElseThrow(() -> new Refusal(503, "5.5.1", "Need MAIL before RCPT"));
            if (!argument.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                throw new Refusal(501, "5.5.4", "Syntax: RCPT TO:<address>");
            }
            PathParser.Path path = PathParser.parse(argument.substring(PREFIX.length()).stripLeading(),
                    transaction.utf8(), "5.1.3");
            if (!path.parameters().isBlank() && !session.extended()) {
                throw new Refusal(501, "5.5.4", "Parameters need EHLO");
            }
            MailParameters.Recipient parameters = MailParameters.Recipient.parse(path.parameters());
            if (transaction.recipientCount() >= session.settings().maxRecipients()) {
                session.reply(Reply.of(452, "4.5.3", "Too many recipients"));
                return;
            }
            Optional<Directory> directory = session.services().directory();
            if (directory.isEmpty()) {
                session.reply(Reply.of(451, "4.3.0", "Directory unavailable, try again later"));
                return;
            }
            MailAddress recipient = path.postmaster() ? postmaster(directory.get()) : address(path);
            Reply verdict = check(session, directory.get(), recipient);
            if (!verdict.isError()) {
                transaction.addRecipient(new EnvelopeRecipient(recipient, parameters.notifyOn(),
                        parameters.originalRecipient()));
                session.reply(verdict);
            } else if (verdict.code() >= 500) {
                session.refuse(verdict);
            } else {
                session.reply(verdict);
            }
        } catch (Refusal refusal) {
            session.refuse(refusal.reply());
        }
    }

    private static MailAddress address(PathParser.Path path) throws Refusal {
        return path.address().orElseThrow(() -> new Refusal(501, "5.1.3", "Syntax error in the address"));
    }

    private static MailAddress postmaster(Directory directory) throws Refusal {
        List<Domain> domains = directory.domains();
        if (domains.isEmpty()) {
            throw new Refusal(550, "5.1.1", "<Postmaster>: no local domain");
        }
        return new MailAddress("postmaster", domains.get(0).name());
    }

    private static Reply check(SmtpSession session, Directory directory, MailAddress recipient) {
        try {
            if (directory.isLocalDomain(recipient.domain())) {
                return directory.resolve(recipient).isEmpty()
                        ? Reply.of(550, "5.1.1", "<" + recipient + ">: Recipient address rejected: User unknown")
                        : Reply.of(250, "2.1.5", "Recipient <" + recipient + "> OK");
            }
            return session.user().isPresent()
                    ? Reply.of(250, "2.1.5", "Recipient <" + recipient + "> OK")
                    : Reply.of(554, "5.7.1", "<" + recipient + ">: Relay access denied");
        } catch (RuntimeException e) {
            LOG.warn("{}: directory failed on <{}>: {}", session.settings().healthName(), recipient, e.toString());
            return Reply.of(451, "4.3.0", "Directory unavailable, try again later");
        }
    }
}
