package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate.Mode;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.Quota;
import org.postbus.api.store.StoreException.Reason;
import org.postbus.api.store.UidRange;

/**
 * Storage quotas per user (RFC 9208 STORAGE, in bytes).
 *
 * <p>Semantics settled here:
 * <ul>
 * <li>Usage is the sum of the sizes of all the user's messages in all mailboxes; a copy counts
 *     in full even where the store keeps the bytes once, so usage does not depend on how a
 *     backend stores.
 * <li>A message that brings usage exactly to the limit is accepted; one that would exceed it
 *     fails with {@code OVER_QUOTA} and changes nothing (not even UIDNEXT).
 * <li>A COPY that would exceed the limit fails as a whole (RFC 9051: a failed COPY leaves the
 *     target as it was); a MOVE does not raise usage and so succeeds at the limit, which lets a
 *     user at quota move mail to Trash.
 * <li>{@code deliver()} stores for the users it can: a user over quota is left out of the
 *     returned map; it throws {@code OVER_QUOTA} only when no user could take the message.
 * </ul>
 */
abstract class QuotaContract extends ContractSupport {

    @Test
    void appendBeyondQuotaFailsAndStoresNothing() throws Exception {
        fixture().setQuota(ALICE, 3000);
        assertEquals(3000, store().quota(ALICE).limitBytes(), "quota() reports the limit set");
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        for (int i = 0; i < 3; i++) {
            append(inbox, message("fits " + i, 1000), Flags.NONE);
        }
        assertEquals(new Quota(3000, 3000, 3), store().quota(ALICE), "usage exactly at the limit is allowed");
        MailboxStatus before = inbox.status();
        List<Long> uidsBefore = uids(inbox);

        expectFailure(Reason.OVER_QUOTA, "append beyond the quota",
                () -> inbox.append(request(message("too much", 1000), Flags.NONE)));
        expectFailure(Reason.OVER_QUOTA, "append of a small message beyond the quota",
                () -> inbox.append(request(message("x", 100), Flags.NONE)));
        store().create(ALICE, "Work", Set.of());
        expectFailure(Reason.OVER_QUOTA, "append beyond the quota in another mailbox of the user",
                () -> open(ALICE, "Work").append(request(message("elsewhere", 100), Flags.NONE)));

        assertEquals(uidsBefore, uids(inbox), "a refused append stores nothing");
        assertEquals(before, inbox.status(), "a refused append changes no counter, UIDNEXT or HIGHESTMODSEQ");
        assertEquals(0, open(ALICE, "Work").status().messages(), "nothing stored in Work");
        assertEquals(new Quota(3000, 3000, 3), store().quota(ALICE), "usage unchanged by refused appends");

        fixture().setQuota(ALICE, 4000);
        append(inbox, message("after raise", 1000), Flags.NONE);
        assertEquals(new Quota(4000, 4000, 4), store().quota(ALICE), "a raised quota admits more");
    }

    @Test
    void usageFollowsAppendsCopiesExpungesAndDeletes() throws Exception {
        assertEquals(new Quota(0, -1, 0), store().quota(ALICE), "a new user without a limit");
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        store().create(ALICE, "Work", Set.of());
        Mailbox work = open(ALICE, "Work");
        MessageMeta a = append(inbox, message("a", 700), Flags.NONE);
        MessageMeta b = append(inbox, message("b", 1300), Flags.NONE);
        append(work, message("c", 500), Flags.NONE);
        assertEquals(new Quota(2500, -1, 3), store().quota(ALICE), "after appends to two mailboxes");

        inbox.copy(List.of(UidRange.of(a.uid())), "Work");
        assertEquals(new Quota(3200, -1, 4), store().quota(ALICE), "a copy counts in full");

        update(inbox, Mode.ADD, Flags.of(Flag.DELETED), b.uid());
        inbox.expunge(null);
        assertEquals(new Quota(1900, -1, 3), store().quota(ALICE), "after expunging b");

        store().delete(ALICE, "Work");
        assertEquals(new Quota(700, -1, 1), store().quota(ALICE), "after deleting Work with its two messages");
        assertEquals(new Quota(0, -1, 0), store().quota(BOB), "another user's usage is separate");
    }

    @Test
    void deliverySkipsUsersOverQuota() throws Exception {
        fixture().setQuota(ALICE, 500);
        byte[] bytes = message("big for alice", 1000);
        Map<MailAddress, Long> result = store().deliver(Map.of(ALICE, MailStore.INBOX, BOB, MailStore.INBOX),
                request(bytes, Flags.NONE));
        assertEquals(Set.of(BOB), result.keySet(), "only the user with room gets the message");
        assertEquals(List.of(result.get(BOB)), uids(open(BOB, MailStore.INBOX)), "bob has it");
        assertEquals(0, open(ALICE, MailStore.INBOX).status().messages(), "alice, over quota, has nothing");
        assertEquals(0, store().quota(ALICE).usedBytes(), "alice's usage unchanged");

        expectFailure(Reason.OVER_QUOTA, "delivery to a single user over quota",
                () -> store().deliver(Map.of(ALICE, MailStore.INBOX), request(bytes, Flags.NONE)));
        assertEquals(0, open(ALICE, MailStore.INBOX).status().messages(), "alice still has nothing");
    }

    @Test
    void copyBeyondQuotaFailsButMoveAtTheLimitWorks() throws Exception {
        fixture().setQuota(ALICE, 2500);
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        append(inbox, message("one", 1000), Flags.NONE);
        append(inbox, message("two", 1000), Flags.NONE);
        store().create(ALICE, "Work", Set.of());

        expectFailure(Reason.OVER_QUOTA, "COPY of 2000 bytes with 500 left",
                () -> inbox.copy(List.of(UidRange.ALL), "Work"));
        assertEquals(0, open(ALICE, "Work").status().messages(), "a refused COPY leaves the target empty");
        assertEquals(2, inbox.status().messages(), "a refused COPY leaves the source");
        assertEquals(new Quota(2000, 2500, 2), store().quota(ALICE), "usage unchanged by the refused COPY");

        fixture().setQuota(ALICE, 2000);
        Map<Long, Long> moved = inbox.move(List.of(UidRange.ALL), "Trash");
        assertEquals(2, moved.size(), "MOVE at the limit succeeds: usage does not grow");
        assertEquals(2, open(ALICE, "Trash").status().messages(), "both messages in Trash");
        assertEquals(new Quota(2000, 2000, 2), store().quota(ALICE), "usage unchanged by MOVE");
    }
}
