package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MessageMeta;

/**
 * Local delivery: one message to several users at once.
 *
 * <p>Semantics settled here: a target mailbox that does not exist falls back to INBOX without
 * creating the named mailbox; delivery to a user never seen before creates that user's INBOX;
 * the message keeps the flags and internal date of the request.
 */
abstract class DeliveryContract extends ContractSupport {

    @Test
    void oneDeliveryReachesEveryUser() throws Exception {
        store().create(BOB, "Lists", Set.of());
        store().mailboxes(ALICE);
        byte[] bytes = message("to three people", 2048);
        Instant received = Instant.parse("2025-01-02T03:04:05Z");
        Map<MailAddress, String> targets = Map.of(ALICE, MailStore.INBOX, BOB, "Lists", CAROL, "Missing");

        Map<MailAddress, Long> uids = store().deliver(targets, new AppendRequest(content(bytes), Flags.NONE, received));

        assertEquals(Set.of(ALICE, BOB, CAROL), uids.keySet(), "deliver() returns a UID for each user");
        checkDelivered(ALICE, MailStore.INBOX, uids.get(ALICE), bytes, received);
        checkDelivered(BOB, "Lists", uids.get(BOB), bytes, received);
        checkDelivered(CAROL, MailStore.INBOX, uids.get(CAROL), bytes, received);
        assertEquals(0, open(BOB, MailStore.INBOX).status().messages(), "bob's copy went to Lists, not INBOX");
        assertNotListed(CAROL, "Missing", "delivery falls back to INBOX and does not create the target");
    }

    @Test
    void successiveDeliveriesGetAscendingUids() throws Exception {
        Map<MailAddress, Long> first = store().deliver(Map.of(ALICE, "INBOX", BOB, "INBOX"),
                request(message("first"), Flags.NONE));
        Map<MailAddress, Long> second = store().deliver(Map.of(ALICE, "INBOX", BOB, "INBOX"),
                request(message("second"), Flags.of(Flag.FLAGGED)));
        for (MailAddress user : List.of(ALICE, BOB)) {
            Mailbox inbox = open(user, MailStore.INBOX);
            assertEquals(List.of(first.get(user), second.get(user)), uids(inbox), user + "'s INBOX after two deliveries");
            assertEquals(Flags.of(Flag.FLAGGED), meta(inbox, second.get(user)).flags(), "flags given at delivery");
            assertContent(message("second"), inbox, second.get(user), user + "'s second message");
        }
    }

    private void checkDelivered(MailAddress user, String mailbox, Long uid, byte[] bytes, Instant received)
            throws Exception {
        assertNotNull(uid, "no UID returned for " + user);
        assertNzNumber(uid, "delivered UID for " + user);
        Mailbox box = open(user, mailbox);
        assertEquals(List.of(uid), uids(box), user + "'s " + mailbox + " holds the delivered message");
        MessageMeta meta = meta(box, uid);
        assertEquals(bytes.length, meta.size(), "size of " + user + "'s copy");
        assertEquals(received, meta.internalDate(), "internal date of " + user + "'s copy");
        assertContent(bytes, box, uid, user + "'s copy");
    }
}
