package org.postbus.smtp.internal.command;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.postbus.smtp.internal.codec.Reply;
import org.postbus.smtp.internal.session.Dispatcher;
import org.postbus.smtp.internal.session.SmtpSession;

/** The commands this server knows, by verb (RFC 5321 4.1 and the extensions it offers). */
public final class CommandTable implements Dispatcher {

    private static final Command NOT_IMPLEMENTED = Command.nonBlocking(
            (session, argument) -> session.refuse(Reply.of(502, "5.5.1", "Command not implemented")));

    /** Other protocols' requests sent to an SMTP port: a browser or a proxy, never a mail client. */
    private static final Command FORBIDDEN = Command.nonBlocking((session, argument) -> {
        session.reply(Reply.of(421, "4.7.0", session.settings().hostname() + " Not an SMTP client, closing connection"));
        session.close();
    });

    private final Map<String, Command> commands = Map.ofEntries(
            Map.entry("EHLO", new EhloCommand()),
            Map.entry("HELO", new HeloCommand()),
            Map.entry("MAIL", new MailCommand()),
            Map.entry("RCPT", new RcptCommand()),
            Map.entry("DATA", new DataCommand()),
            Map.entry("BDAT", new BdatCommand()),
            Map.entry("RSET", new RsetCommand()),
            Map.entry("NOOP", new NoopCommand()),
            Map.entry("QUIT", new QuitCommand()),
            Map.entry("HELP", new HelpCommand()),
            Map.entry("VRFY", new VrfyCommand()),
            Map.entry("STARTTLS", new StartTlsCommand()),
            Map.entry("AUTH", new AuthCommand()),
            Map.entry("EXPN", NOT_IMPLEMENTED),
            Map.entry("TURN", NOT_IMPLEMENTED),
            Map.entry("ETRN", NOT_IMPLEMENTED),
            Map.entry("GET", FORBIDDEN),
            Map.entry("POST", FORBIDDEN),
            Map.entry("CONNECT", FORBIDDEN));

    /** Commands that never move mail forward, counted against the junk limit wherever they come. */
    private static final Set<String> JUNK = Set.of("NOOP", "RSET", "VRFY", "HELP", "EXPN", "TURN", "ETRN");

    @Override
    public void dispatch(SmtpSession session, String line) {
        String verb = verb(line);
        int space = line.indexOf(' ');
        String argument = space < 0 ? "" : line.substring(space + 1);
        if (!verb.equals("QUIT") && session.junk(JUNK.contains(verb))) {
            return;
        }
        Command command = commands.get(verb);
        if (command == null) {
            session.refuse(Reply.of(500, "5.5.1", "Command unrecognized"));
        } else {
            command.execute(session, argument);
        }
    }

    /** An unknown verb is only refused, which never blocks. */
    @Override
    public boolean blocks(SmtpSession session, String line) {
        Command command = commands.get(verb(line));
        return command != null && command.blocks(session);
    }

    private static String verb(String line) {
        int space = line.indexOf(' ');
        return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    }
}
