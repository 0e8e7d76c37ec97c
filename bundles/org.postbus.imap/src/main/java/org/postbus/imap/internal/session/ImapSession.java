package org.postbus.imap.internal.session;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Directory;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.imap.internal.ListenerSettings;
import org.postbus.imap.internal.codec.CommandReader;
import org.postbus.imap.internal.codec.ImapParser;
import org.postbus.imap.internal.codec.Input;
import org.postbus.imap.internal.codec.ModifiedUtf7;
import org.postbus.imap.internal.codec.ParseException;
import org.postbus.imap.internal.codec.RawCommand;
import org.postbus.imap.internal.codec.Response;
import org.postbus.imap.internal.codec.SequenceSet;
import org.postbus.imap.internal.command.Command;
import org.postbus.imap.internal.command.CommandTable;
import org.postbus.imap.internal.command.Request;
import org.postbus.mime.MimeMessage;
import org.postbus.mime.MimeParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection's state (RFC 9051 section 3) and its command loop. Runs only in its
 * connection's turns, one at a time, so it needs no locks except where the store's event thread
 * marks the selected mailbox as changed.
 */
public final class ImapSession {

    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    /** The protocol states. */
    public enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    private final SessionContext context;
    private final InetAddress client;
    private final Channel channel;
    private final CommandReader reader;
    private boolean secure;
    private boolean compressed;

    private State state = State.NOT_AUTHENTICATED;
    private Account account;
    private volatile Selected selected;
    private boolean rev2;
    private boolean utf8;
    private boolean condstore;
    private boolean qresync;
    private long[] savedSearch = new long[0];
    private int errors;
    private int authFailures;
    private boolean parked;
    private Consumer<byte[]> lineHandler;
    private volatile boolean idling;
    private boolean expungeAllowed = true;
    private boolean closedDown;

    /**
     * @param context what the listener's sessions share
     * @param client the client's address
     * @param secure whether the connection is already TLS (implicit TLS)
     * @param channel the connection
     */
    public ImapSession(SessionContext context, InetAddress client, boolean secure, Channel channel) {
        this.context = context;
        this.client = client;
        this.secure = secure;
        this.channel = channel;
        ListenerSettings s = context.settings();
        this.reader = new CommandReader(s.maxLineLength(), s.maxLiteralSize(), s.literalMinus(), context.spoolDir());
    }

    // ---- driven by the connection

    /** Greets the client. */
    public void greet() {
        untagged("OK [CAPABILITY " + capabilities() + "] Postbus IMAP4rev2 server ready");
    }

    /** Bytes arrived. */
    public void received(byte[] bytes) {
        if (state == State.LOGOUT) {
            return;
        }
        reader.feed(bytes);
        process();
    }

    /** Handles buffered input until it runs out or the session parks. */
    public void process() {
        while (!parked && state != State.LOGOUT) {
            Input input = reader.next();
            if (input == null) {
                return;
            }
            handle(input);
        }
    }

    /** Whether the session waits for a delayed step and must not read input now. */
    public boolean parked() {
        return parked;
    }

    /** How long the connection may stay silent now. */
    public Duration timeout() {
        ListenerSettings s = context.settings();
        if (reader.midCommand() && lineHandler == null) {
            return s.commandTimeout();
        }
        return state == State.NOT_AUTHENTICATED ? s.loginTimeout() : s.idleTimeout();
    }

    /** The client said nothing for too long. */
    public void timedOut() {
        untagged("BYE Autologout; idle for too long");
        logout();
    }

    /** Another thread asked for a turn: tell an idling client what changed. */
    public void woken() {
        if (idling && selected != null) {
            sync(true);
        }
    }

    /** The listener stops. */
    public void shutdown() {
        untagged("BYE Server shutting down");
        logout();
    }

    /** The connection is gone: release what the session holds. */
    public void closed() {
        reader.close();
        release();
    }

    /** The store's event thread reports a change to a mailbox of this user. */
    void mailboxChanged(String mailboxId) {
        Selected current = selected;
        if (current != null && current.id().equals(mailboxId)) {
            current.dirty(true);
            if (idling) {
                channel.wake();
            }
        }
    }

    // ---- input

    private void handle(Input input) {
        if (input instanceof Input.Command c) {
            lineHandler = null;
            try {
                execute(c.command());
            } finally {
                c.command().release();
            }
        } else if (input instanceof Input.Line line) {
            Consumer<byte[]> handler = lineHandler;
            lineHandler = null;
            if (handler != null) {
                handler.accept(line.bytes());
            }
        } else if (input instanceof Input.Continue) {
            channel.send("+ Ready for literal data\r\n".getBytes(StandardCharsets.US_ASCII));
            channel.flush();
        } else if (input instanceof Input.Failed f) {
            tagged(f.tag(), f.reply());
        } else if (input instanceof Input.TooLong t) {
            lineHandler = null;
            idling = false;
            error(t.tag(), "BAD [TOOBIG] Command line too long");
        } else if (input instanceof Input.LiteralTooBig t) {
            if (!t.synchronising() && context.settings().literalMinus()
                    && t.size() > CommandReader.LITERAL_MINUS_LIMIT && t.size() <= context.settings().maxLiteralSize()) {
                error(t.tag(), "BAD [TOOBIG] Non-synchronizing literal larger than 4096 bytes (LITERAL-)");
            } else if (t.append()) {
                tagged(t.tag(), "NO [TOOBIG] Message larger than the server accepts (APPENDLIMIT="
                        + context.settings().maxLiteralSize() + ")");
            } else {
                error(t.tag(), "BAD [TOOBIG] Literal too large for this command");
            }
        }
    }

    private void execute(RawCommand raw) {
        ImapParser p = new ImapParser(raw);
        String tag;
        try {
            tag = p.tag();
        } catch (ParseException e) {
            error("*", "BAD Invalid tag");
            return;
        }
        if (!p.accept(' ')) {
            if (p.atEnd()) {
                error(tag, "BAD Missing command");
            } else {
                // The tag ends in a character no tag may hold: what the tag is cannot be known,
                // and echoing a prefix could complete another command of the client's.
                error("*", "BAD Invalid tag");
            }
            return;
        }
        String name;
        boolean uid = false;
        try {
            name = p.word();
            if (name.equals("UID")) {
                p.sp();
                name = p.word();
                uid = true;
                if (!CommandTable.UID_COMMANDS.contains(name)) {
                    error(tag, "BAD Unknown UID command " + printable(name));
                    return;
                }
            }
        } catch (ParseException e) {
            error(tag, "BAD Missing or invalid command name");
            return;
        }
        CommandTable.Entry entry = CommandTable.get(name);
        if (entry == null) {
            error(tag, "BAD Unknown command " + printable(name));
            return;
        }
        if (!entry.states().contains(state)) {
            String why = switch (state) {
                case NOT_AUTHENTICATED -> "Log in first";
                case AUTHENTICATED -> entry.states().contains(State.SELECTED) ? "Select a mailbox first"
                        : "Not allowed now";
                default -> "Not allowed in this state";
            };
            error(tag, "BAD " + name + ": " + why);
            return;
        }
        if (!p.atEnd() && p.peek() != ' ') {
            error(tag, "BAD Unknown command " + printable(name + p.rest()));
            return;
        }
        expungeAllowed = uid || !(name.equals("FETCH") || name.equals("STORE") || name.equals("SEARCH")
                || name.equals("SORT") || name.equals("THREAD"));
        run(entry.command(), new Request(tag, name, uid, p));
    }

    /**
     * After the store service went away and came back, the selected mailbox's handle is dead: take
     * a new one, or end the session if the mailbox's UIDs are no longer what the client knows.
     */
    private void followStore() {
        Selected s = selected;
        MailStore now = context.services().store().orElse(null);
        if (s == null || now == null || now == s.store()) {
            return;
        }
        try {
            Mailbox box = now.open(account.address(), s.info().name());
            if (box.info().uidValidity() != s.info().uidValidity()) {
                box.close();
                untagged("BYE The mailbox changed while the store was away; select it again");
                logout();
                return;
            }
            s.reopened(now, box);
        } catch (StoreException e) {
            LOG.debug("{}: cannot reopen the selected mailbox: {}", context.settings().healthName(), e.getMessage());
        }
    }

    /** Runs a command, turning every failure into its protocol answer. */
    public void run(Command command, Request request) {
        followStore();
        if (state == State.LOGOUT) {
            return;
        }
        try {
            command.execute(this, request);
        } catch (ParseException e) {
            error(request.tag(), "BAD " + request.name() + ": " + e.getMessage());
        } catch (StoreException e) {
            no(request.tag(), e);
        } catch (RuntimeException e) {
            LOG.error("{}: {} failed for {}", context.settings().healthName(), request.name(), who(), e);
            tagged(request.tag(), "NO [SERVERBUG] Internal error; the command was not completed");
        }
    }

    private void error(String tag, String text) {
        tagged(tag, text);
        if (++errors >= context.settings().maxErrors()) {
            untagged("BYE Too many invalid commands");
            logout();
        }
    }

    // ---- replies

    /** Sends {@code * text}. */
    public void untagged(String text) {
        channel.send(("* " + text + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a built response as it is. */
    public void send(Response response) {
        channel.send(response.bytes());
    }

    /** Sends raw bytes. */
    public void send(byte[] bytes) {
        channel.send(bytes);
    }

    /** Sends {@code tag text} with no notification before it. */
    public void tagged(String tag, String text) {
        if (!text.startsWith("BAD")) {
            // Only a run of invalid commands ends the session, not a few spread over a long one.
            errors = 0;
        }
        channel.send((tag + " " + text + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Completes a command with OK, reporting changes to the selected mailbox first. */
    public void ok(String tag, String text) {
        notifyChanges();
        tagged(tag, "OK " + text);
    }

    /** Completes a command with NO. */
    public void no(String tag, String text) {
        notifyChanges();
        tagged(tag, "NO " + text);
    }

    /** Completes a command with BAD (counted). */
    public void bad(String tag, String text) {
        error(tag, "BAD " + text);
    }

    /** Completes a command with the NO that a store failure calls for. */
    public void no(String tag, StoreException e) {
        String code = switch (e.reason()) {
            case NONEXISTENT -> "[NONEXISTENT] ";
            case ALREADY_EXISTS -> "[ALREADYEXISTS] ";
            case INVALID_NAME -> "[CANNOT] ";
            case NOT_ALLOWED -> "[CANNOT] ";
            case OVER_QUOTA -> "[OVERQUOTA] ";
            case UNAVAILABLE -> "[UNAVAILABLE] ";
        };
        if (e.reason() == StoreException.Reason.UNAVAILABLE) {
            LOG.warn("{}: store unavailable for {}: {}", context.settings().healthName(), who(), e.getMessage());
        }
        String text = e.getMessage() == null ? "Failed" : e.getMessage().replace('\r', ' ').replace('\n', ' ');
        no(tag, code + text);
    }

    /** Sends a continuation request. */
    public void continuation(String text) {
        channel.send(("+ " + text + "\r\n").getBytes(StandardCharsets.UTF_8));
        channel.flush();
    }

    /** Reads the next line raw and gives it to {@code handler} (SASL responses, IDLE's DONE). */
    public void expectLine(Consumer<byte[]> handler) {
        lineHandler = handler;
        reader.expectRawLine();
    }

    // ---- notifications

    /** Reports what changed in the selected mailbox, if the current command allows it. */
    public void notifyChanges() {
        if (selected != null && state == State.SELECTED) {
            sync(expungeAllowed);
        }
    }

    /**
     * Brings the client's view of the selected mailbox up to date: EXPUNGE (or VANISHED), EXISTS,
     * RECENT and FETCH of changed flags (RFC 9051 section 7).
     *
     * @param allowExpunge whether expunges may be reported now
     */
    public void sync(boolean allowExpunge) {
        Selected s = selected;
        if (s == null || !s.dirty()) {
            return;
        }
        s.dirty(false);
        try {
            Mailbox box = s.mailbox();
            MailboxStatus status = box.status();
            long[] now = box.uids();
            long[] known = s.uids();
            long lastKnown = known.length == 0 ? 0 : known[known.length - 1];
            long oldRecent = s.recentCount();
            int oldCount = known.length;
            if (allowExpunge) {
                long[] gone = difference(known, now);
                if (gone.length > 0) {
                    if (qresync) {
                        untagged("VANISHED " + SequenceSet.format(gone));
                    } else {
                        StringBuilder out = new StringBuilder();
                        for (int i = gone.length - 1; i >= 0; i--) {
                            out.append("* ").append(Arrays.binarySearch(known, gone[i]) + 1).append(" EXPUNGE\r\n");
                        }
                        channel.send(out.toString().getBytes(StandardCharsets.US_ASCII));
                    }
                    oldCount -= gone.length;
                }
                s.uids(now);
            } else {
                long last = known.length == 0 ? 0 : known[known.length - 1];
                int firstNew = now.length;
                while (firstNew > 0 && now[firstNew - 1] > last) {
                    firstNew--;
                }
                if (firstNew < now.length) {
                    long[] merged = Arrays.copyOf(known, known.length + now.length - firstNew);
                    System.arraycopy(now, firstNew, merged, known.length, now.length - firstNew);
                    s.uids(merged);
                }
                if (difference(known, now).length > 0) {
                    s.dirty(true);
                }
            }
            if (s.count() != oldCount) {
                if (!s.readOnly() && s.count() > oldCount) {
                    // Whoever learns of new messages first owns their \Recent (RFC 3501 2.3.2),
                    // even an IMAP4rev2 session, so that rev1 sessions do not claim them later.
                    long[] mine = s.uids();
                    claimRecent(s, Math.max(status.uidNext(), mine[mine.length - 1] + 1));
                }
                untagged(s.count() + " EXISTS");
            }
            // After new messages, or after \Recent ones were expunged; a session that lost the new
            // messages to another has no RECENT change to report.
            if (!rev2 && s.recentCount() != oldRecent) {
                untagged(s.recentCount() + " RECENT");
            }
            long since = s.highestModSeq();
            if (status.highestModSeq() > since) {
                try (Stream<MessageMeta> changed = box.changedSince(since)) {
                    changed.forEach(meta -> {
                        int seq = s.seq(meta.uid());
                        // New messages were just announced by EXISTS; the client fetches their flags.
                        if (seq > 0 && meta.uid() <= lastKnown && !s.isOwn(meta.uid(), meta.modSeq())) {
                            announceKeywords(s, meta.flags());
                            StringBuilder line = new StringBuilder().append(seq).append(" FETCH (");
                            if (condstore) {
                                // RFC 7162 3.1: UID and MODSEQ in every FETCH once CONDSTORE is on.
                                line.append("UID ").append(meta.uid()).append(' ');
                            }
                            line.append("FLAGS ").append(flags(meta.flags(), s, meta.uid()));
                            if (condstore) {
                                line.append(" MODSEQ (").append(meta.modSeq()).append(')');
                            }
                            untagged(line.append(')').toString());
                        }
                    });
                }
                s.highestModSeq(status.highestModSeq());
            }
            s.clearOwn();
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.NONEXISTENT) {
                // Another session deleted the mailbox this one has open: nothing sensible remains.
                untagged("BYE [NONEXISTENT] The selected mailbox was deleted");
                logout();
                return;
            }
            s.dirty(true);
            LOG.debug("{}: cannot check the selected mailbox: {}", context.settings().healthName(), e.getMessage());
        }
    }

    private void claimRecent(Selected s, long uidNext) {
        s.addRecent(context.registry().claimRecent(s.id(), uidNext), uidNext);
    }

    private static long[] difference(long[] a, long[] b) {
        long[] out = new long[a.length];
        int n = 0;
        int j = 0;
        for (long v : a) {
            while (j < b.length && b[j] < v) {
                j++;
            }
            if (j >= b.length || b[j] != v) {
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }

    // ---- state changes, for the commands

    /** Logs the user in, unless they have too many sessions already. */
    public boolean login(Account authenticated) {
        if (!context.registry().add(authenticated.address(), this, context.settings().maxConnectionsPerUser())) {
            return false;
        }
        context.registry().succeeded(client);
        this.account = authenticated;
        this.state = State.AUTHENTICATED;
        LOG.debug("{}: {} logged in from {}", context.settings().healthName(), authenticated.address(),
                client.getHostAddress());
        return true;
    }

    /** Back to not authenticated (RFC 8437), keeping TLS and compression. */
    public void unauthenticate() {
        deselect();
        if (account != null) {
            context.registry().remove(account.address(), this);
        }
        account = null;
        state = State.NOT_AUTHENTICATED;
        rev2 = false;
        utf8 = false;
        condstore = false;
        qresync = false;
        savedSearch = new long[0];
    }

    /** Makes {@code s} the selected mailbox. */
    public void select(Selected s) {
        deselect();
        selected = s;
        state = State.SELECTED;
        savedSearch = new long[0];
    }

    /** Opens a view of a mailbox for SELECT/EXAMINE, claiming \Recent messages when read-write. */
    public Selected open(Mailbox box, MailboxInfo info, boolean readOnly, MailboxStatus status) throws StoreException {
        long[] uids = box.uids();
        long to = Math.max(status.uidNext(), uids.length == 0 ? 0 : uids[uids.length - 1] + 1);
        // EXAMINE shows the \Recent messages without taking the flag from them (RFC 3501 6.3.2).
        long recentFrom = readOnly ? Math.min(context.registry().recentMark(info.id()), to)
                : context.registry().claimRecent(info.id(), to);
        Selected s = new Selected(box, info, readOnly, uids, status.highestModSeq(), recentFrom, to);
        s.addKeywords(box.keywords());
        s.store(context.services().store().orElse(null));
        return s;
    }

    /** Closes the selected mailbox, if any; back to authenticated. */
    public void deselect() {
        Selected s = selected;
        selected = null;
        if (s != null) {
            s.close();
        }
        if (state == State.SELECTED) {
            state = State.AUTHENTICATED;
        }
    }

    /** Says goodbye and closes the connection. */
    public void logout() {
        state = State.LOGOUT;
        lineHandler = null;
        idling = false;
        release();
        channel.close();
    }

    private void release() {
        if (closedDown) {
            return;
        }
        closedDown = true;
        Selected s = selected;
        selected = null;
        if (s != null) {
            s.close();
        }
        if (account != null) {
            context.registry().remove(account.address(), this);
        }
    }

    /** Starts TLS after the tagged reply just queued. */
    public void startTls(javax.net.ssl.SSLContext sslContext, List<String> protocols) {
        reader.discard();
        secure = true;
        channel.startTls(sslContext, protocols);
    }

    /** Starts compression after the tagged reply just queued. */
    public void startCompression() {
        compressed = true;
        channel.startCompression();
    }

    /** Waits {@code delay}, then runs {@code step} and resumes reading. */
    public void later(Duration delay, Runnable step) {
        parked = true;
        channel.later(delay, () -> {
            parked = false;
            step.run();
        });
    }

    /** Counts a failed login; returns the count on this connection. */
    public int authFailed() {
        context.registry().failed(client, context.settings().ipLockout().toMillis());
        return ++authFailures;
    }

    /** Whether the client's address is locked out after too many failed logins. */
    public boolean lockedOut() {
        return context.registry().lockedOut(client, context.settings().ipLockoutFailures(),
                context.settings().ipLockout().toMillis());
    }

    /** Enters or leaves IDLE. */
    public void idling(boolean value) {
        idling = value;
    }

    // ---- what commands read

    /** The listener's settings. */
    public ListenerSettings settings() {
        return context.settings();
    }

    /** The protocol state. */
    public State state() {
        return state;
    }

    /** The logged-in account. */
    public Account account() {
        return account;
    }

    /** The logged-in user. */
    public MailAddress user() {
        return account.address();
    }

    /** The selected mailbox, or null. */
    public Selected selected() {
        return selected;
    }

    /** Whether the connection is TLS. */
    public boolean secure() {
        return secure;
    }

    /** Whether COMPRESS is active. */
    public boolean compressed() {
        return compressed;
    }

    /** The client's address. */
    public InetAddress client() {
        return client;
    }

    /** Whether LOGIN and AUTHENTICATE are allowed on this connection now. */
    public boolean loginAllowed() {
        return secure || (context.settings().authPlaintextLoopback() && client.isLoopbackAddress());
    }

    /** The directory, if present. */
    public java.util.Optional<Directory> directory() {
        return context.services().directory();
    }

    /** The TLS service, if present. */
    public java.util.Optional<org.postbus.api.tls.TlsService> tls() {
        return context.services().tls();
    }

    /** The store, or UNAVAILABLE. */
    public MailStore store() throws StoreException {
        return context.services().store().orElseThrow(() -> new StoreException(StoreException.Reason.UNAVAILABLE,
                "The mail store is not available now; try again later"));
    }

    /** Whether IMAP4rev2 is enabled. */
    public boolean rev2() {
        return rev2;
    }

    /** Whether UTF-8 names and strings are on (IMAP4rev2 or UTF8=ACCEPT). */
    public boolean utf8() {
        return utf8;
    }

    /** Whether CONDSTORE is on. */
    public boolean condstore() {
        return condstore;
    }

    /** Whether QRESYNC is on. */
    public boolean qresync() {
        return qresync;
    }

    /** Enables an extension (ENABLE); returns whether it is one this server enables. */
    public boolean enable(String extension) {
        switch (extension) {
            case "IMAP4REV2" -> {
                rev2 = true;
                utf8 = true;
            }
            case "UTF8=ACCEPT" -> utf8 = true;
            case "CONDSTORE" -> condstoreUsed();
            case "QRESYNC" -> {
                qresync = true;
                condstoreUsed();
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Turns CONDSTORE on because the client used it (RFC 7162 section 3.1). */
    public void condstoreUsed() {
        if (condstore) {
            return;
        }
        condstore = true;
        Selected s = selected;
        if (s != null && state == State.SELECTED) {
            // RFC 7162 3.1: the first CONDSTORE enabling command while a mailbox is selected reports
            // its HIGHESTMODSEQ, the value the client resynchronises from next time.
            untagged("OK [HIGHESTMODSEQ " + s.highestModSeq() + "] Highest");
        }
    }

    /** The saved search result (SEARCHRES), as UIDs. */
    public long[] savedSearch() {
        return savedSearch;
    }

    /** Saves a search result. */
    public void savedSearch(long[] uids) {
        savedSearch = uids;
    }

    /** The capabilities to announce now. */
    public String capabilities() {
        return CommandTable.capabilities(this, context.services().directory()
                .map(Directory::saslMechanisms).orElse(Set.of()));
    }

    /** Decodes a mailbox name as the client wrote it into the store's form. */
    public String mailboxName(String written) throws ParseException {
        String name;
        if (utf8) {
            name = written;
        } else {
            try {
                name = ModifiedUtf7.decode(written);
            } catch (IllegalArgumentException e) {
                throw new ParseException("Invalid mailbox name: " + e.getMessage());
            }
        }
        while (name.length() > 1 && name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equalsIgnoreCase(MailStore.INBOX)) {
            return MailStore.INBOX;
        }
        if (name.regionMatches(true, 0, "INBOX/", 0, 6)) {
            return MailStore.INBOX + name.substring(5);
        }
        return name;
    }

    /** Encodes a store name for the client. */
    public String clientName(String name) {
        return utf8 ? name : ModifiedUtf7.encode(name);
    }

    /**
     * Before a FETCH response reports these flags: when they hold a keyword the client has not
     * been told of, sends FLAGS and PERMANENTFLAGS with it first (RFC 9051 7.3.5 and 7.1), as
     * a client builds its list of keywords from them.
     */
    public void announceKeywords(Selected s, Flags flags) {
        if (s != null && !flags.keywords().isEmpty() && s.addKeywords(flags.keywords())) {
            untagged("FLAGS " + flagList(s, false));
            if (!s.readOnly()) {
                untagged("OK [PERMANENTFLAGS " + flagList(s, true) + "] Flags permitted");
            }
        }
    }

    /** FLAGS' list: the system flags and the keywords announced; for PERMANENTFLAGS also \*. */
    public static String flagList(Selected s, boolean permanent) {
        StringBuilder out = new StringBuilder("(\\Answered \\Flagged \\Deleted \\Seen \\Draft");
        for (String k : s.keywords()) {
            out.append(' ').append(k);
        }
        return out.append(permanent ? " \\*)" : ")").toString();
    }

    /** The flags of a message as IMAP writes them, with \Recent for IMAP4rev1 clients. */
    public String flags(Flags flags, Selected s, long uid) {
        StringBuilder out = new StringBuilder("(");
        for (Flag f : Flag.values()) {
            if (flags.has(f)) {
                out.append(out.length() > 1 ? " " : "").append(f.imapName());
            }
        }
        for (String k : flags.keywords()) {
            out.append(out.length() > 1 ? " " : "").append(k);
        }
        if (!rev2 && s != null && s.isRecent(uid)) {
            out.append(out.length() > 1 ? " " : "").append("\\Recent");
        }
        return out.append(')').toString();
    }

    /** The parsed structure of a message if it is cached, else null. */
    public MimeMessage cached(Selected s, long uid) {
        return context.registry().cache().get(s.id(), uid);
    }

    /** The parsed structure of a message, from the cache or parsed now. */
    public MimeMessage parsed(Selected s, long uid, MessageContent content) throws java.io.IOException {
        return parse(s, uid, content, false);
    }

    /**
     * The message's top-level header parsed (a cached full parse, or a header-only parse read
     * now and cached), for ENVELOPE, header sections, header searches, sorting and threading.
     */
    public MimeMessage header(Selected s, long uid, MessageContent content) throws java.io.IOException {
        return parse(s, uid, content, true);
    }

    private MimeMessage parse(Selected s, long uid, MessageContent content, boolean headerOnly)
            throws java.io.IOException {
        MessageCache cache = context.registry().cache();
        MimeMessage m = headerOnly ? cache.header(s.id(), uid) : cache.get(s.id(), uid);
        if (m == null) {
            m = headerOnly ? MimeParser.parseHeader(content) : MimeParser.parse(content);
            cache.put(s.id(), uid, m);
        }
        return m;
    }

    /** A cached parse of the message, full or header-only, or null. */
    public MimeMessage cachedHeader(Selected s, long uid) {
        return context.registry().cache().header(s.id(), uid);
    }

    /** Notes that this session added messages from {@code firstUid} on to a mailbox (for \\Recent). */
    public void messagesAdded(String mailboxId, long firstUid) {
        context.registry().added(mailboxId, firstUid);
    }

    /** The lowest UID no session has yet seen as \\Recent (for STATUS RECENT). */
    public long recentMark(String mailboxId) {
        return context.registry().recentMark(mailboxId);
    }

    /** Who is connected, for logs. */
    public String who() {
        return (account == null ? "" : account.address() + " ") + "from " + client.getHostAddress();
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }
}
