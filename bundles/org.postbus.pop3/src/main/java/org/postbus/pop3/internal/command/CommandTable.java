package org.postbus.pop3.internal.command;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.postbus.pop3.internal.codec.Reply;
import org.postbus.pop3.internal.session.Dispatcher;
import org.postbus.pop3.internal.session.Pop3Session;
import org.postbus.pop3.internal.session.State;

/** The commands this server knows (RFC 1939, 2449, 2595, 5034), by keyword, with the states they are valid in. */
public final class CommandTable implements Dispatcher {

    private record Entry(Command command, Set<State> states) {
    }

    private static final Set<State> AUTHORIZATION = EnumSet.of(State.AUTHORIZATION);
    private static final Set<State> TRANSACTION = EnumSet.of(State.TRANSACTION);
    private static final Set<State> ANY = EnumSet.of(State.AUTHORIZATION, State.TRANSACTION);

    /** Other protocols' requests sent to a POP3 port: a browser or a proxy, never a mail client. */
    private static final Command FORBIDDEN = (session, argument) -> {
        session.reply(Reply.err("Not a POP3 client, closing connection"));
        session.close();
    };

    private final Map<String, Entry> commands = Map.ofEntries(
            Map.entry("CAPA", new Entry(new CapaCommand(), ANY)),
            Map.entry("USER", new Entry(new UserCommand(), AUTHORIZATION)),
            Map.entry("PASS", new Entry(new PassCommand(), AUTHORIZATION)),
            Map.entry("AUTH", new Entry(new AuthCommand(), AUTHORIZATION)),
            Map.entry("STLS", new Entry(new StlsCommand(), AUTHORIZATION)),
            Map.entry("APOP", new Entry((session, argument) -> session.refuse(
                    Reply.err("APOP not supported; use USER and PASS, or AUTH")), AUTHORIZATION)),
            Map.entry("STAT", new Entry(new StatCommand(), TRANSACTION)),
            Map.entry("LIST", new Entry(new ListCommand(false), TRANSACTION)),
            Map.entry("UIDL", new Entry(new ListCommand(true), TRANSACTION)),
            Map.entry("RETR", new Entry(new RetrCommand(), TRANSACTION)),
            Map.entry("TOP", new Entry(new TopCommand(), TRANSACTION)),
            Map.entry("DELE", new Entry(new DeleCommand(), TRANSACTION)),
            Map.entry("RSET", new Entry(new RsetCommand(), TRANSACTION)),
            Map.entry("NOOP", new Entry(new NoopCommand(), TRANSACTION)),
            Map.entry("QUIT", new Entry(new QuitCommand(), ANY)),
            Map.entry("GET", new Entry(FORBIDDEN, ANY)),
            Map.entry("POST", new Entry(FORBIDDEN, ANY)),
            Map.entry("CONNECT", new Entry(FORBIDDEN, ANY)));

    @Override
    public void dispatch(Pop3Session session, String line) {
        int space = line.indexOf(' ');
        String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1);
        Entry entry = commands.get(keyword);
        if (entry == null) {
            session.refuse(Reply.err(keyword.isEmpty() ? "Empty command" : "Unknown command"));
        } else if (!entry.states().contains(session.state())) {
            session.refuse(Reply.err(session.state() == State.AUTHORIZATION
                    ? "Not logged in; log in with USER and PASS, or AUTH, first"
                    : "Already logged in; " + keyword + " is only valid before login"));
        } else {
            entry.command().execute(session, argument);
        }
    }
}
