package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.UidRange;
import org.postbus.imap.internal.session.SessionRegistry;

/**
 * Another session's EXPUNGE that lands while FETCH or SEARCH is reading a message (the race the
 * 100-client benchmark hit): the message is left out, the command completes with OK, and the
 * EXPUNGE is reported at the next command that may carry it (RFC 2180 4.1 and 4.3).
 */
@Timeout(60)
class ExpungedWhileReadingTest {

    @TempDir
    Path dir;

    @Test
    void fetchAndSearchSkipAMessageExpungedMidCommand() throws Exception {
        try (TestServer backing = TestServer.start(dir)) {
            backing.deliver(TestServer.ALICE, "Subject: word one\n\nbody\n");
            backing.deliver(TestServer.ALICE, "Subject: word two\n\nbody\n");
            backing.deliver(TestServer.ALICE, "Subject: word three\n\nbody\n");
            // The UID whose content read is preceded by its expunge from "another session".
            AtomicLong victim = new AtomicLong(-1);
            // The UID whose bytes vanish when opened (its segment file deleted after the expunge).
            AtomicLong bytesGone = new AtomicLong(-1);
            MailStore racing = (MailStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {MailStore.class}, (proxy, method, args) -> {
                        Object result = invoke(method, backing.store, args);
                        if (result instanceof Mailbox box) {
                            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Mailbox.class},
                                    (p2, m2, a2) -> {
                                        if (m2.getName().equals("content") && (Long) a2[0] == victim.get()) {
                                            victim.set(-1);
                                            expunge(backing, (Long) a2[0]);
                                        }
                                        Object out = invoke(m2, box, a2);
                                        if (out instanceof MessageContent content && (Long) a2[0] == bytesGone.get()) {
                                            long uid = bytesGone.getAndSet(-1);
                                            return new MessageContent() {
                                                @Override
                                                public long size() {
                                                    return content.size();
                                                }

                                                @Override
                                                public InputStream open(long from, long length) throws IOException {
                                                    try {
                                                        expunge(backing, uid);
                                                    } catch (Exception e) {
                                                        throw new IOException(e);
                                                    }
                                                    throw new IOException("the message is no longer stored");
                                                }
                                            };
                                        }
                                        return out;
                                    });
                        }
                        return result;
                    });
            Services services = backing.withStore(racing);
            try (ImapListener listener = new ImapListener(TestServer.defaults(), services, new SessionRegistry())) {
                assertTrue(listener.start());
                try (ImapClient c = new ImapClient(listener.localAddress().getPort())) {
                    c.login();
                    c.command("s", "SELECT INBOX");

                    victim.set(2);
                    List<String> fetch = c.command("f1", "FETCH 1:3 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
                    assertEquals(3, fetch.size(), fetch.toString());
                    assertTrue(fetch.get(0).startsWith("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {"), fetch.toString());
                    assertTrue(fetch.get(1).startsWith("* 3 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {"), fetch.toString());
                    assertTrue(fetch.get(2).startsWith("f1 OK [EXPUNGEISSUED]"), fetch.toString());

                    // Gone from the store now, still message 2 for the client: not matched.
                    List<String> search = c.command("f2", "SEARCH SUBJECT word");
                    assertEquals(List.of("* SEARCH 1 3", "f2 OK SEARCH completed"), search);

                    // TEXT needs the whole message (message 3's header alone is cached from f1).
                    victim.set(3);
                    search = c.command("f3", "SEARCH TEXT three");
                    assertEquals(List.of("* SEARCH", "f3 OK SEARCH completed"), search);

                    // Structure cached, so the bytes are first opened for the literal itself.
                    c.command("f6", "FETCH 1 BODYSTRUCTURE");
                    bytesGone.set(1);
                    fetch = c.command("f7", "FETCH 1 BODY.PEEK[TEXT]");
                    assertEquals(1, fetch.size(), fetch.toString());
                    assertTrue(fetch.get(0).startsWith("f7 OK [EXPUNGEISSUED]"), fetch.toString());

                    List<String> noop = c.command("f4", "NOOP");
                    assertEquals(List.of("* 3 EXPUNGE", "* 2 EXPUNGE", "* 1 EXPUNGE", "f4 OK NOOP completed"), noop);
                    assertEquals(List.of("f5 BAD FETCH: No messages in the mailbox"), c.command("f5", "FETCH 1:* UID"));
                }
            }
        }
    }

    private static void expunge(TestServer backing, long uid) throws Exception {
        try (Mailbox other = backing.store.open(TestServer.ALICE, "INBOX")) {
            List<UidRange> one = List.of(new UidRange(uid, uid));
            other.updateFlags(one, FlagUpdate.of(FlagUpdate.Mode.ADD, Flags.of(Flag.DELETED)));
            other.expunge(one);
        }
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
