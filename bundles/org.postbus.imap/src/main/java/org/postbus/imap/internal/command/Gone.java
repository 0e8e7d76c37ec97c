package org.postbus.imap.internal.command;

import java.util.stream.Stream;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.UidRange;
import org.postbus.imap.internal.session.Selected;

/**
 * Tells a message that another session expunged while this one was reading it from a real
 * failure, so that FETCH and SEARCH can leave it out instead of failing the whole command
 * (RFC 2180 section 4, RFC 9051 section 7.5.1: the EXPUNGE itself waits for a point where the
 * client may hear it).
 */
final class Gone {

    private Gone() {
    }

    /** Whether the store no longer holds the message (or the mailbox). */
    static boolean isGone(Selected s, long uid) {
        try (Stream<MessageMeta> one = s.mailbox().messages(new UidRange(uid, uid))) {
            return one.findAny().isEmpty();
        } catch (StoreException e) {
            return e.reason() == StoreException.Reason.NONEXISTENT;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
