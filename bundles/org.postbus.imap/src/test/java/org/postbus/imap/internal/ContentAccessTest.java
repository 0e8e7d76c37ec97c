package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.imap.internal.session.SessionRegistry;

/**
 * Metadata fetches never read message content, and a parsed message is cached so that repeated
 * structure fetches read the content once.
 */
@Timeout(60)
class ContentAccessTest {

    @TempDir
    Path dir;

    @Test
    void metadataWithoutContentAndParsedStructureCached() throws Exception {
        try (TestServer backing = TestServer.start(dir)) {
            backing.deliver(TestServer.ALICE, "Subject: one\n\nbody\n");
            backing.deliver(TestServer.ALICE, "Subject: two\n\nbody\n");
            AtomicInteger contentReads = new AtomicInteger();
            MailStore counting = (MailStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {MailStore.class}, (proxy, method, args) -> {
                        Object result = invoke(method, backing.store, args);
                        if (result instanceof Mailbox box) {
                            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Mailbox.class},
                                    (p2, m2, a2) -> {
                                        if (m2.getName().equals("content")) {
                                            contentReads.incrementAndGet();
                                        }
                                        return invoke(m2, box, a2);
                                    });
                        }
                        return result;
                    });
            Services services = backing.withStore(counting);
            try (ImapListener listener = new ImapListener(TestServer.defaults(), services, new SessionRegistry())) {
                assertTrue(listener.start());
                try (ImapClient c = new ImapClient(listener.localAddress().getPort())) {
                    c.login();
                    c.command("s", "SELECT INBOX");
                    List<String> meta = c.command("f1", "FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ EMAILID"
                            + " THREADID SAVEDATE)");
                    // MODSEQ enables CONDSTORE: its HIGHESTMODSEQ, two FETCH lines, the tagged OK
                    assertEquals(4, meta.size(), meta.toString());
                    c.command("f2", "UID SEARCH UNSEEN LARGER 10 SINCE 1-Jan-2000");
                    c.command("f3", "STORE 1:* +FLAGS (\\Flagged)");
                    assertEquals(0, contentReads.get(), "metadata needs no content");
                    c.command("f4", "FETCH 1:2 ENVELOPE");
                    c.command("f6", "SEARCH SUBJECT hello");
                    assertEquals(2, contentReads.get(), "a header-only parse serves ENVELOPE and then SEARCH");
                    c.command("f7", "FETCH 1 BODYSTRUCTURE");
                    assertEquals(3, contentReads.get(), "BODYSTRUCTURE needs the whole message parsed");
                    c.command("f8", "FETCH 1 (BODY ENVELOPE)");
                    c.command("f9", "SEARCH SUBJECT hello");
                    assertEquals(3, contentReads.get(), "the full parse is reused for everything");
                }
            }
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
