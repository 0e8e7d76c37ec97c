package org.postbus.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate.Mode;
import org.postbus.api.store.Flags;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.UidRange;
import org.postbus.store.contract.StoreFixture.PostedEvent;

/**
 * The change events IMAP IDLE, search and plugins listen to ({@link StoreEvents}).
 *
 * <p>Semantics settled here: every event carries {@link StoreEvents#USER},
 * {@link StoreEvents#MAILBOX} and {@link StoreEvents#MAILBOX_ID}; message events and
 * {@code MAILBOX_CREATED} also {@link StoreEvents#UIDVALIDITY}; message events also
 * {@link StoreEvents#UIDS} and {@link StoreEvents#MODSEQ}. One event per change and mailbox,
 * carrying exactly the UIDs of that change; {@link StoreEvents#MODSEQ} is the mailbox's
 * HIGHESTMODSEQ right after the change; COPY,
 * MOVE and delivery post {@code MESSAGES_ADDED} for the target, and MOVE also
 * {@code MESSAGES_EXPUNGED} for the source; a rename's event carries the new name in
 * {@link StoreEvents#MAILBOX}. Events are looked for for up to {@link #EVENT_WAIT}, since they
 * are posted asynchronously, but those of one mailbox in the order of its changes; a flag update
 * names in {@code FLAGS_CHANGED} only the messages whose flags it changed, and posts none when it
 * changed none; whether the first-use creation of INBOX and the special-use mailboxes posts
 * {@code MAILBOX_CREATED} is left open.
 */
abstract class EventContract extends ContractSupport {

    @Test
    void appendPostsMessagesAdded() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        forgetEvents();
        MessageMeta meta = append(inbox, "announced");
        long highest = inbox.status().highestModSeq();

        PostedEvent event = awaitEvent(StoreEvents.MESSAGES_ADDED, ALICE, MailStore.INBOX,
                e -> eventUids(e).contains(meta.uid()), "with UID " + meta.uid());
        assertEquals(List.of(meta.uid()), eventUids(event), "UIDs of MESSAGES_ADDED after one append");
        assertEquals(highest, eventLong(event, StoreEvents.MODSEQ), "MODSEQ of MESSAGES_ADDED");
        assertMailbox(event, inbox.info());
    }

    @Test
    void flagChangePostsFlagsChanged() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta a = append(inbox, "a");
        append(inbox, "b");
        MessageMeta c = append(inbox, "c");
        forgetEvents();
        update(inbox, Mode.ADD, Flags.of(Flag.SEEN), a.uid(), c.uid());
        long highest = inbox.status().highestModSeq();

        PostedEvent event = awaitEvent(StoreEvents.FLAGS_CHANGED, ALICE, MailStore.INBOX, e -> true, "after a STORE");
        assertEquals(List.of(a.uid(), c.uid()), eventUids(event), "UIDs of FLAGS_CHANGED: the changed ones, ascending");
        assertEquals(highest, eventLong(event, StoreEvents.MODSEQ), "MODSEQ of FLAGS_CHANGED");
        assertMailbox(event, inbox.info());
    }

    @Test
    void flagUpdateWithoutEffectPostsNoFlagsChanged() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta a = append(inbox, "a", Flag.SEEN);
        MessageMeta b = append(inbox, "b");
        forgetEvents();
        update(inbox, Mode.ADD, Flags.of(Flag.SEEN), a.uid());
        update(inbox, Mode.ADD, Flags.of(Flag.SEEN), a.uid(), b.uid());

        PostedEvent event = awaitEvent(StoreEvents.FLAGS_CHANGED, ALICE, MailStore.INBOX, e -> true,
                "after a STORE that changed b");
        assertEquals(List.of(b.uid()), eventUids(event),
                "the first FLAGS_CHANGED names only b: the STORE on a alone changed nothing, and the second changed b");
        assertEquals(inbox.status().highestModSeq(), eventLong(event, StoreEvents.MODSEQ), "MODSEQ of FLAGS_CHANGED");
        assertEquals(List.of(), unclaimed(StoreEvents.FLAGS_CHANGED), "no other FLAGS_CHANGED");
    }

    @Test
    void expungePostsMessagesExpunged() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        MessageMeta a = append(inbox, "a", Flag.DELETED);
        append(inbox, "b");
        MessageMeta c = append(inbox, "c", Flag.DELETED);
        forgetEvents();
        inbox.expunge(null);
        long highest = inbox.status().highestModSeq();

        PostedEvent event = awaitEvent(StoreEvents.MESSAGES_EXPUNGED, ALICE, MailStore.INBOX, e -> true,
                "after EXPUNGE");
        assertEquals(List.of(a.uid(), c.uid()), eventUids(event), "UIDs of MESSAGES_EXPUNGED, ascending");
        assertEquals(highest, eventLong(event, StoreEvents.MODSEQ), "MODSEQ of MESSAGES_EXPUNGED");
        assertMailbox(event, inbox.info());
    }

    @Test
    void copyMoveAndDeliveryPostTheirEvents() throws Exception {
        Mailbox inbox = open(ALICE, MailStore.INBOX);
        Mailbox archive = open(ALICE, "Archive");
        MessageMeta a = append(inbox, "a");
        MessageMeta b = append(inbox, "b");
        store().mailboxes(BOB);
        forgetEvents();

        Map<Long, Long> copied = inbox.copy(List.of(UidRange.of(a.uid())), "Archive");
        PostedEvent added = awaitEvent(StoreEvents.MESSAGES_ADDED, ALICE, "Archive", e -> true, "after COPY");
        assertEquals(List.of(copied.get(a.uid())), eventUids(added), "MESSAGES_ADDED of COPY names the new UID");
        assertMailbox(added, archive.info());

        Map<Long, Long> moved = inbox.move(List.of(UidRange.of(b.uid())), "Archive");
        PostedEvent movedIn = awaitEvent(StoreEvents.MESSAGES_ADDED, ALICE, "Archive", e -> true, "after MOVE");
        assertEquals(List.of(moved.get(b.uid())), eventUids(movedIn), "MESSAGES_ADDED of MOVE names the new UID");
        PostedEvent movedOut = awaitEvent(StoreEvents.MESSAGES_EXPUNGED, ALICE, MailStore.INBOX, e -> true,
                "after MOVE");
        assertEquals(List.of(b.uid()), eventUids(movedOut), "MESSAGES_EXPUNGED of MOVE names the source UID");
        assertEquals(inbox.status().highestModSeq(), eventLong(movedOut, StoreEvents.MODSEQ),
                "MODSEQ of the source's MESSAGES_EXPUNGED");

        Map<MailAddress, Long> delivered = store().deliver(Map.of(ALICE, MailStore.INBOX, BOB, MailStore.INBOX),
                request(message("for both"), Flags.NONE));
        for (MailAddress user : List.of(ALICE, BOB)) {
            PostedEvent event = awaitEvent(StoreEvents.MESSAGES_ADDED, user, MailStore.INBOX,
                    e -> eventUids(e).contains(delivered.get(user)), "after delivery");
            assertEquals(List.of(delivered.get(user)), eventUids(event), "MESSAGES_ADDED of delivery for " + user);
            assertMailbox(event, open(user, MailStore.INBOX).info());
        }
    }

    @Test
    void mailboxChangesPostEvents() throws Exception {
        store().mailboxes(ALICE);
        forgetEvents();

        MailboxInfo created = store().create(ALICE, "Plans", Set.of());
        PostedEvent create = awaitEvent(StoreEvents.MAILBOX_CREATED, ALICE, "Plans", e -> true, "after CREATE");
        assertMailbox(create, created);

        store().rename(ALICE, "Plans", "Ideas");
        PostedEvent rename = awaitEvent(StoreEvents.MAILBOX_RENAMED, ALICE, "Ideas", e -> true, "after RENAME");
        assertEquals("Plans", eventString(rename, StoreEvents.OLD_MAILBOX), "old name in MAILBOX_RENAMED");
        assertEquals(created.id(), eventString(rename, StoreEvents.MAILBOX_ID), "a renamed mailbox keeps its id");

        store().delete(ALICE, "Ideas");
        PostedEvent delete = awaitEvent(StoreEvents.MAILBOX_DELETED, ALICE, "Ideas", e -> true, "after DELETE");
        assertEquals(created.id(), eventString(delete, StoreEvents.MAILBOX_ID), "id in MAILBOX_DELETED");
    }

    private static void assertMailbox(PostedEvent event, MailboxInfo info) {
        assertEquals(info.id(), eventString(event, StoreEvents.MAILBOX_ID), "mailbox id in " + event.topic());
        assertEquals(info.uidValidity(), eventLong(event, StoreEvents.UIDVALIDITY), "UIDVALIDITY in " + event.topic());
    }
}
