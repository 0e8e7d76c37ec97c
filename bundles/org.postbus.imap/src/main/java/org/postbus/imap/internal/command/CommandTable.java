package org.postbus.imap.internal.command;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.postbus.imap.internal.ListenerSettings;
import org.postbus.imap.internal.session.ImapSession;
import org.postbus.imap.internal.session.ImapSession.State;

/** The commands this server knows, the states each is allowed in, and the capabilities it announces. */
public final class CommandTable {

    /**
     * A command and where it may be used.
     *
     * @param command the handler
     * @param states the states it is valid in
     */
    public record Entry(Command command, Set<State> states) {
    }

    /** The commands that may follow {@code UID}. */
    public static final Set<String> UID_COMMANDS = Set.of("FETCH", "STORE", "COPY", "MOVE", "SEARCH", "EXPUNGE",
            "SORT", "THREAD");

    private static final Map<String, Entry> COMMANDS = new HashMap<>();

    static {
        Set<State> any = EnumSet.of(State.NOT_AUTHENTICATED, State.AUTHENTICATED, State.SELECTED);
        Set<State> notAuth = EnumSet.of(State.NOT_AUTHENTICATED);
        Set<State> auth = EnumSet.of(State.AUTHENTICATED, State.SELECTED);
        Set<State> sel = EnumSet.of(State.SELECTED);
        BasicCommands basic = new BasicCommands();
        put("CAPABILITY", basic, any);
        put("NOOP", basic, any);
        put("LOGOUT", basic, any);
        put("ID", basic, any);
        put("ENABLE", basic, auth);
        put("NAMESPACE", basic, auth);
        put("CHECK", basic, sel);
        put("UNAUTHENTICATE", basic, auth);
        put("STARTTLS", new StartTlsCommand(), notAuth);
        put("COMPRESS", new CompressCommand(), any);
        put("LOGIN", new LoginCommand(), notAuth);
        put("AUTHENTICATE", new AuthenticateCommand(), notAuth);
        MailboxCommands mailboxes = new MailboxCommands();
        put("CREATE", mailboxes, auth);
        put("DELETE", mailboxes, auth);
        put("RENAME", mailboxes, auth);
        put("SUBSCRIBE", mailboxes, auth);
        put("UNSUBSCRIBE", mailboxes, auth);
        ListCommand list = new ListCommand();
        put("LIST", list, auth);
        put("LSUB", list, auth);
        put("STATUS", new StatusCommand(), auth);
        SelectCommand select = new SelectCommand();
        put("SELECT", select, auth);
        put("EXAMINE", select, auth);
        ExpungeCommands expunge = new ExpungeCommands();
        put("CLOSE", expunge, sel);
        put("UNSELECT", expunge, sel);
        put("EXPUNGE", expunge, sel);
        put("FETCH", new FetchCommand(), sel);
        put("STORE", new StoreCommand(), sel);
        CopyMoveCommand copy = new CopyMoveCommand();
        put("COPY", copy, sel);
        put("MOVE", copy, sel);
        put("APPEND", new AppendCommand(), auth);
        SearchCommand search = new SearchCommand();
        put("SEARCH", search, sel);
        put("SORT", search, sel);
        put("THREAD", search, sel);
        put("IDLE", new IdleCommand(), auth);
        QuotaCommands quota = new QuotaCommands();
        put("GETQUOTA", quota, auth);
        put("GETQUOTAROOT", quota, auth);
        put("SETQUOTA", quota, auth);
    }

    private CommandTable() {
    }

    private static void put(String name, Command command, Set<State> states) {
        COMMANDS.put(name, new Entry(command, states));
    }

    /** The command of that name (upper case), or null. */
    public static Entry get(String name) {
        return COMMANDS.get(name);
    }

    /** The capability list for the session's current state. */
    public static String capabilities(ImapSession session, Set<String> saslMechanisms) {
        ListenerSettings s = session.settings();
        StringBuilder out = new StringBuilder("IMAP4rev1 IMAP4rev2");
        if (session.state() == State.NOT_AUTHENTICATED) {
            if (!session.secure() && s.starttls() && !session.compressed() && session.tls().isPresent()) {
                out.append(" STARTTLS");
            }
            if (session.loginAllowed()) {
                out.append(" AUTH=PLAIN");
                if (saslMechanisms.contains("SCRAM-SHA-256")) {
                    out.append(" AUTH=SCRAM-SHA-256");
                }
            } else {
                out.append(" LOGINDISABLED");
            }
            out.append(" SASL-IR");
        }
        out.append(s.literalMinus() ? " LITERAL-" : " LITERAL+");
        out.append(" ENABLE ID IDLE NAMESPACE UNSELECT CHILDREN UIDPLUS MOVE SPECIAL-USE CREATE-SPECIAL-USE"
                + " LIST-EXTENDED LIST-STATUS STATUS=SIZE CONDSTORE QRESYNC ESEARCH SEARCHRES"
                + " SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES BINARY MULTIAPPEND UNAUTHENTICATE"
                + " OBJECTID SAVEDATE UTF8=ACCEPT QUOTA QUOTA=RES-STORAGE");
        out.append(" APPENDLIMIT=").append(s.maxLiteralSize());
        if (!session.compressed()) {
            out.append(" COMPRESS=DEFLATE");
        }
        return out.toString();
    }
}
