package org.postbus.smtp.internal.command;

import java.util.Optional;
import org.postbus.api.directory.Account;
import org.postbus.api.mail.MailAddress;
import org.postbus.smtp.internal.Mode;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.message.TransactionIds;
import org.postbus.smtp.internal.session.SmtpSession;
import org.postbus.smtp.internal.session.Transaction;

/**
 * MAIL FROM (RFC 5321 4.1.1.2): starts a transaction. Where authentication is required it must
 * come first (530, RFC 4954 6); on submission the sender must be the user's own address (553).
 */
final class MailCommand implements Command {

    /** Checks the sender against the session alone; the directory is asked at RCPT. */
    @Override
    public boolean blocks(SmtpSession session) {
        return false;
    }

    private static final String PREFIX = "FROM:";

    @Override
    public void execute(SmtpSession session, String argument) {
        try {
            Transaction transaction = transaction(session, argument);
            session.begin(transaction);
            session.reply(Reply.of(250, "2.1.0", "Sender <" + transaction.sender().map(Object::toString).orElse("")
                    + "> OK"));
        } catch (Refusal refusal) {
            session.refuse(refusal.reply());
        }
    }

    private static Transaction transaction(SmtpSession session, String argument) throws Refusal {
        if (session.helo().isEmpty()) {
            throw new Refusal(503, "5.5.1", "Send HELO or EHLO first");
        }
        if (session.transaction().isPresent()) {
            throw new Refusal(503, "5.5.1", "Nested MAIL command");
        }
        if (session.settings().authRequired() && session.user().isEmpty()) {
            throw session.authAllowed()
                    ? new Refusal(530, "5.7.0", "Authentication required")
                    : new Refusal(530, "5.7.0", "Must issue a STARTTLS command first");
        }
        if (!argument.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new Refusal(501, "5.5.4", "Syntax: MAIL FROM:<address>");
        }
        String path = argument.substring(PREFIX.length()).stripLeading();
        // SMTPUTF8 decides whether the address may be UTF-8, so the parameters are read first.
        PathParser.Path lenient = PathParser.parse(path, true, "5.1.7");
        if (!lenient.parameters().isEmpty() && !session.extended()) {
            throw new Refusal(501, "5.5.4", "Parameters need EHLO");
        }
        MailParameters parameters = MailParameters.parse(lenient.parameters());
        PathParser.Path parsed = parameters.smtputf8() ? lenient : PathParser.parse(path, false, "5.1.7");
        if (parsed.postmaster()) {
            throw new Refusal(501, "5.1.7", "Syntax error in the address");
        }
        if (parameters.size() > session.settings().maxMessageSize()) {
            throw new Refusal(552, "5.3.4", "Message size exceeds fixed maximum message size");
        }
        if (parameters.requireTls() && !session.secure()) {
            // RFC 8689: a message asks for TLS all the way, so it must not arrive without it.
            throw new Refusal(530, "5.7.10", "REQUIRETLS needs a TLS connection");
        }
        checkSender(session, parsed.address());
        return new Transaction(TransactionIds.next(), parsed.address(), parameters.smtputf8(),
                parameters.dsnReturn(), parameters.envelopeId(), parameters.requireTls());
    }

    private static void checkSender(SmtpSession session, Optional<MailAddress> sender) throws Refusal {
        if (session.settings().mode() != Mode.SUBMISSION || !session.settings().senderCheck() || sender.isEmpty()) {
            return;
        }
        Optional<Account> user = session.user();
        if (user.isEmpty() || !user.get().address().equals(sender.get())) {
            throw new Refusal(553, "5.7.1", "Sender address <" + sender.get() + "> not owned by user "
                    + user.map(Account::username).orElse("(none)"));
        }
    }
}
