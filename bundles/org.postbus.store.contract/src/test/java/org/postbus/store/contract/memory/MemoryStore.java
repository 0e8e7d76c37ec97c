package org.postbus.store.contract.memory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.postbus.api.event.StoreEvents;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.CheckReport;
import org.postbus.api.store.Flag;
import org.postbus.api.store.FlagUpdate;
import org.postbus.api.store.Flags;
import org.postbus.api.store.ImportedMessage;
import org.postbus.api.store.MailStore;
import org.postbus.api.store.Mailbox;
import org.postbus.api.store.MailboxInfo;
import org.postbus.api.store.MailboxStatus;
import org.postbus.api.store.MessageContent;
import org.postbus.api.store.MessageMeta;
import org.postbus.api.store.Quota;
import org.postbus.api.store.SpecialUse;
import org.postbus.api.store.StoreException;
import org.postbus.api.store.StoreException.Reason;
import org.postbus.api.store.UidRange;
import org.postbus.store.contract.StoreFixture.PostedEvent;

/**
 * A store kept in memory, the simplest that keeps the contract: it checks the suite itself is
 * consistent and can pass. Its "disk" is a {@link State} that outlives instances, so a restart
 * is a new instance over the same state and a crash kills the old instance.
 */
final class MemoryStore implements MailStore {

    /** Everything "on disk"; one lock for all. */
    static final class State {
        final Map<MailAddress, User> users = new HashMap<>();
        final Map<MailAddress, Long> limits = new HashMap<>();
        final List<PostedEvent> events = new ArrayList<>();
        long nextId = 1;
    }

    static final class User {
        final TreeMap<String, Box> boxes = new TreeMap<>();
        final Set<String> subscriptions = new HashSet<>();
        long nextUidValidity = 1;
    }

    static final class Box {
        String name;
        final String id;
        long uidValidity;
        final Set<SpecialUse> specialUse;
        long uidNext = 1;
        long highestModSeq = 1;
        final TreeMap<Long, Msg> messages = new TreeMap<>();
        final TreeMap<Long, Long> expunged = new TreeMap<>();

        Box(String name, String id, long uidValidity, Set<SpecialUse> specialUse) {
            this.name = name;
            this.id = id;
            this.uidValidity = uidValidity;
            this.specialUse = Set.copyOf(specialUse);
        }
    }

    record Msg(long uid, long modSeq, Flags flags, Instant internalDate, Instant saveDate, byte[] bytes,
            String emailId, String threadId) {
        MessageMeta meta() {
            return new MessageMeta(uid, modSeq, flags, internalDate, saveDate, bytes.length, emailId, threadId);
        }
    }

    private static final Map<String, SpecialUse> SPECIAL = new LinkedHashMap<>();
    static {
        SPECIAL.put("Drafts", SpecialUse.DRAFTS);
        SPECIAL.put("Sent", SpecialUse.SENT);
        SPECIAL.put("Trash", SpecialUse.TRASH);
        SPECIAL.put("Junk", SpecialUse.JUNK);
        SPECIAL.put("Archive", SpecialUse.ARCHIVE);
    }

    private final State state;
    private volatile boolean alive = true;

    MemoryStore(State state) {
        this.state = state;
    }

    void kill() {
        synchronized (state) {
            alive = false;
        }
    }

    private void check() throws StoreException {
        if (!alive) {
            throw new StoreException(Reason.UNAVAILABLE, "store closed");
        }
    }

    private static String normalize(String name) {
        return name.equalsIgnoreCase(INBOX) ? INBOX : name;
    }

    private User user(MailAddress address) {
        User existing = state.users.get(address);
        if (existing != null) {
            return existing;
        }
        User user = new User();
        state.users.put(address, user);
        newBox(user, INBOX, Set.of());
        SPECIAL.forEach((name, use) -> newBox(user, name, Set.of(use)));
        return user;
    }

    private Box newBox(User user, String name, Set<SpecialUse> use) {
        Box box = new Box(name, "B" + state.nextId++, user.nextUidValidity++, use);
        user.boxes.put(name, box);
        return box;
    }

    private Box box(User user, String name) throws StoreException {
        Box box = user.boxes.get(normalize(name));
        if (box == null) {
            throw new StoreException(Reason.NONEXISTENT, "no mailbox " + name);
        }
        return box;
    }

    private static void validate(String name) throws StoreException {
        if (name.isEmpty()) {
            throw new StoreException(Reason.INVALID_NAME, "empty");
        }
        for (String level : name.split("/", -1)) {
            if (level.isEmpty()) {
                throw new StoreException(Reason.INVALID_NAME, "empty level");
            }
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) {
                throw new StoreException(Reason.INVALID_NAME, "control character");
            }
        }
    }

    private MailboxInfo info(User user, Box box) {
        return new MailboxInfo(box.name, box.id, box.uidValidity, box.specialUse, user.subscriptions.contains(box.name));
    }

    private void post(String topic, MailAddress user, Box box, long[] uids, String oldName) {
        Map<String, Object> props = new HashMap<>();
        props.put(StoreEvents.USER, user.toString());
        props.put(StoreEvents.MAILBOX, box.name);
        props.put(StoreEvents.MAILBOX_ID, box.id);
        props.put(StoreEvents.UIDVALIDITY, box.uidValidity);
        props.put(StoreEvents.MODSEQ, box.highestModSeq);
        if (uids != null) {
            props.put(StoreEvents.UIDS, uids);
        }
        if (oldName != null) {
            props.put(StoreEvents.OLD_MAILBOX, oldName);
        }
        state.events.add(new PostedEvent(topic, props));
    }

    private long used(MailAddress address) {
        User user = user(address);
        return user.boxes.values().stream().flatMap(b -> b.messages.values().stream()).mapToLong(m -> m.bytes.length).sum();
    }

    private boolean fits(MailAddress address, long more) {
        long limit = state.limits.getOrDefault(address, -1L);
        return limit < 0 || used(address) + more <= limit;
    }

    @Override
    public List<MailboxInfo> mailboxes(MailAddress address) throws StoreException {
        synchronized (state) {
            check();
            User user = user(address);
            return user.boxes.values().stream().map(b -> info(user, b)).toList();
        }
    }

    @Override
    public MailboxInfo create(MailAddress address, String name, Set<SpecialUse> specialUse) throws StoreException {
        synchronized (state) {
            check();
            validate(name);
            User user = user(address);
            String normalized = normalize(name);
            if (user.boxes.containsKey(normalized)) {
                throw new StoreException(Reason.ALREADY_EXISTS, name);
            }
            makeParents(address, user, normalized);
            Box box = newBox(user, normalized, specialUse);
            post(StoreEvents.MAILBOX_CREATED, address, box, null, null);
            return info(user, box);
        }
    }

    private void makeParents(MailAddress address, User user, String name) {
        for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
            String parent = name.substring(0, i);
            if (!user.boxes.containsKey(parent)) {
                post(StoreEvents.MAILBOX_CREATED, address, newBox(user, parent, Set.of()), null, null);
            }
        }
    }

    @Override
    public void rename(MailAddress address, String from, String to) throws StoreException {
        synchronized (state) {
            check();
            validate(to);
            User user = user(address);
            Box box = box(user, from);
            String target = normalize(to);
            if (user.boxes.containsKey(target)) {
                throw new StoreException(Reason.ALREADY_EXISTS, to);
            }
            if (box.name.equals(INBOX)) {
                makeParents(address, user, target);
                Box moved = newBox(user, target, Set.of());
                long modSeq = ++box.highestModSeq;
                for (Msg m : box.messages.values()) {
                    long uid = moved.uidNext++;
                    moved.messages.put(uid, new Msg(uid, ++moved.highestModSeq, m.flags, m.internalDate, m.saveDate,
                            m.bytes, m.emailId, m.threadId));
                    box.expunged.put(m.uid, modSeq);
                }
                box.messages.clear();
                post(StoreEvents.MAILBOX_CREATED, address, moved, null, null);
                return;
            }
            if (target.startsWith(box.name + "/")) {
                throw new StoreException(Reason.INVALID_NAME, "into itself");
            }
            makeParents(address, user, target);
            String oldName = box.name;
            List<Box> affected = new ArrayList<>();
            for (Box b : user.boxes.values()) {
                if (b.name.equals(oldName) || b.name.startsWith(oldName + "/")) {
                    affected.add(b);
                }
            }
            for (Box b : affected) {
                user.boxes.remove(b.name);
            }
            for (Box b : affected) {
                String old = b.name;
                b.name = target + old.substring(oldName.length());
                user.boxes.put(b.name, b);
                post(StoreEvents.MAILBOX_RENAMED, address, b, null, old);
            }
        }
    }

    @Override
    public void delete(MailAddress address, String name) throws StoreException {
        synchronized (state) {
            check();
            User user = user(address);
            Box box = box(user, name);
            if (box.name.equals(INBOX)) {
                throw new StoreException(Reason.NOT_ALLOWED, "INBOX");
            }
            user.boxes.remove(box.name);
            post(StoreEvents.MAILBOX_DELETED, address, box, null, null);
        }
    }

    @Override
    public void subscribe(MailAddress address, String name, boolean subscribed) throws StoreException {
        synchronized (state) {
            check();
            User user = user(address);
            if (subscribed) {
                user.subscriptions.add(normalize(name));
            } else {
                user.subscriptions.remove(normalize(name));
            }
        }
    }

    @Override
    public Mailbox open(MailAddress address, String name) throws StoreException {
        synchronized (state) {
            check();
            return new Handle(address, box(user(address), name));
        }
    }

    @Override
    public Map<MailAddress, Long> deliver(Map<MailAddress, String> targets, AppendRequest message)
            throws StoreException {
        byte[] bytes = readAll(message.content());
        synchronized (state) {
            check();
            Map<MailAddress, Long> result = new HashMap<>();
            String emailId = "E" + state.nextId++;
            for (Map.Entry<MailAddress, String> target : targets.entrySet()) {
                User user = user(target.getKey());
                Box box = user.boxes.get(normalize(target.getValue()));
                if (box == null) {
                    box = user.boxes.get(INBOX);
                }
                if (!fits(target.getKey(), bytes.length)) {
                    continue;
                }
                long uid = add(box, message.flags(), message.internalDate(), bytes, emailId, "T" + emailId);
                post(StoreEvents.MESSAGES_ADDED, target.getKey(), box, new long[] {uid}, null);
                result.put(target.getKey(), uid);
            }
            if (result.isEmpty()) {
                throw new StoreException(Reason.OVER_QUOTA, "no room");
            }
            return result;
        }
    }

    @Override
    public Quota quota(MailAddress address) throws StoreException {
        synchronized (state) {
            check();
            User user = user(address);
            long count = user.boxes.values().stream().mapToLong(b -> b.messages.size()).sum();
            return new Quota(used(address), state.limits.getOrDefault(address, -1L), count);
        }
    }

    @Override
    public List<String> subscriptions(MailAddress address) throws StoreException {
        synchronized (state) {
            check();
            return List.copyOf(new TreeSet<>(user(address).subscriptions));
        }
    }

    @Override
    public List<MailAddress> users() throws StoreException {
        synchronized (state) {
            check();
            return state.users.keySet().stream().sorted(Comparator.comparing(MailAddress::toString)).toList();
        }
    }

    @Override
    public MailboxInfo importMailbox(MailAddress address, String name, long uidValidity, long uidNext,
            List<ImportedMessage> messages) throws StoreException {
        if (uidValidity < 1 || uidValidity > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("UIDVALIDITY out of range: " + uidValidity);
        }
        if (uidNext < 1 || uidNext > 0x1_0000_0000L) {
            throw new IllegalArgumentException("UIDNEXT out of range: " + uidNext);
        }
        long previous = 0;
        for (ImportedMessage m : messages) {
            if (m.uid() <= previous || m.uid() >= uidNext) {
                throw new IllegalArgumentException("UID " + m.uid() + " after " + previous + ", UIDNEXT " + uidNext);
            }
            previous = m.uid();
        }
        List<byte[]> contents = new ArrayList<>();
        for (ImportedMessage m : messages) {
            contents.add(readAll(m.message().content()));
        }
        synchronized (state) {
            check();
            validate(name);
            User user = user(address);
            String normalized = normalize(name);
            Box box = user.boxes.get(normalized);
            if (box != null && box.uidNext != 1) {
                throw new StoreException(Reason.NOT_ALLOWED, "mailbox held messages");
            }
            if (!fits(address, contents.stream().mapToLong(b -> b.length).sum())) {
                throw new StoreException(Reason.OVER_QUOTA, "over quota");
            }
            if (box == null) {
                makeParents(address, user, normalized);
                box = newBox(user, normalized, Set.of());
                box.uidValidity = uidValidity;
                post(StoreEvents.MAILBOX_CREATED, address, box, null, null);
            } else {
                box.uidValidity = uidValidity;
            }
            user.nextUidValidity = Math.max(user.nextUidValidity, uidValidity + 1);
            long[] uids = new long[messages.size()];
            for (int i = 0; i < uids.length; i++) {
                AppendRequest request = messages.get(i).message();
                String emailId = "E" + state.nextId++;
                uids[i] = messages.get(i).uid();
                box.messages.put(uids[i], new Msg(uids[i], ++box.highestModSeq, request.flags(),
                        request.internalDate(), Instant.now(), contents.get(i), emailId, "T" + emailId));
            }
            box.uidNext = uidNext;
            if (uids.length > 0) {
                post(StoreEvents.MESSAGES_ADDED, address, box, uids, null);
            }
            return info(user, box);
        }
    }

    /** Counters are computed on demand here, so only UIDNEXT and HIGHESTMODSEQ can drift. */
    @Override
    public CheckReport check(MailAddress address, boolean repair) throws StoreException {
        synchronized (state) {
            check();
            User user = state.users.get(address);
            if (user == null) {
                return new CheckReport(address.toString(), 0, 0, List.of(), false);
            }
            List<String> problems = new ArrayList<>();
            long messages = 0;
            for (Box box : user.boxes.values()) {
                messages += box.messages.size();
                long maxUid = Math.max(box.messages.isEmpty() ? 0 : box.messages.lastKey(),
                        box.expunged.isEmpty() ? 0 : box.expunged.lastKey());
                long maxModSeq = Math.max(box.messages.values().stream().mapToLong(Msg::modSeq).max().orElse(0),
                        box.expunged.values().stream().mapToLong(Long::longValue).max().orElse(0));
                if (maxUid >= box.uidNext) {
                    problems.add(box.name + ": UID " + maxUid + " is not below UIDNEXT " + box.uidNext);
                    if (repair) {
                        box.uidNext = maxUid + 1;
                    }
                }
                if (maxModSeq > box.highestModSeq) {
                    problems.add(box.name + ": MODSEQ " + maxModSeq + " above HIGHESTMODSEQ " + box.highestModSeq);
                    if (repair) {
                        box.highestModSeq = maxModSeq;
                    }
                }
            }
            return new CheckReport(address.toString(), user.boxes.size(), messages, problems,
                    repair && !problems.isEmpty());
        }
    }

    private static long add(Box box, Flags flags, Instant date, byte[] bytes, String emailId, String threadId) {
        long uid = box.uidNext++;
        box.messages.put(uid, new Msg(uid, ++box.highestModSeq, flags, date, Instant.now(), bytes, emailId, threadId));
        return uid;
    }

    private static byte[] readAll(MessageContent content) {
        try (InputStream in = content.open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Long> select(Box box, List<UidRange> ranges) {
        TreeSet<Long> uids = new TreeSet<>();
        for (UidRange range : ranges) {
            uids.addAll(box.messages.subMap(range.first(), true, range.last(), true).keySet());
        }
        return List.copyOf(uids);
    }

    /** An open mailbox; it follows its box through renames. */
    private final class Handle implements Mailbox {
        private final MailAddress address;
        private final Box box;

        Handle(MailAddress address, Box box) {
            this.address = address;
            this.box = box;
        }

        private void live() throws StoreException {
            check();
            if (!state.users.get(address).boxes.containsValue(box)) {
                throw new StoreException(Reason.NONEXISTENT, "mailbox deleted");
            }
        }

        @Override
        public MailboxInfo info() {
            synchronized (state) {
                return MemoryStore.this.info(state.users.get(address), box);
            }
        }

        @Override
        public MailboxStatus status() throws StoreException {
            synchronized (state) {
                live();
                long unseen = box.messages.values().stream().filter(m -> !m.flags.has(Flag.SEEN)).count();
                long deleted = box.messages.values().stream().filter(m -> m.flags.has(Flag.DELETED)).count();
                long size = box.messages.values().stream().mapToLong(m -> m.bytes.length).sum();
                return new MailboxStatus(box.messages.size(), unseen, 0, box.uidNext, box.uidValidity,
                        box.highestModSeq, size, deleted);
            }
        }

        @Override
        public long[] uids() throws StoreException {
            synchronized (state) {
                live();
                return box.messages.keySet().stream().mapToLong(Long::longValue).toArray();
            }
        }

        @Override
        public Stream<MessageMeta> messages(UidRange range) throws StoreException {
            synchronized (state) {
                live();
                return box.messages.subMap(range.first(), true, range.last(), true).values().stream()
                        .map(Msg::meta).toList().stream();
            }
        }

        @Override
        public Stream<MessageMeta> changedSince(long modSeq) throws StoreException {
            synchronized (state) {
                live();
                return box.messages.values().stream().filter(m -> m.modSeq > modSeq).map(Msg::meta).toList().stream();
            }
        }

        @Override
        public List<Long> expungedSince(long modSeq) throws StoreException {
            synchronized (state) {
                live();
                return box.expunged.entrySet().stream().filter(e -> e.getValue() > modSeq).map(Map.Entry::getKey)
                        .toList();
            }
        }

        @Override
        public MessageContent content(long uid) throws StoreException {
            synchronized (state) {
                live();
                Msg m = box.messages.get(uid);
                if (m == null) {
                    throw new StoreException(Reason.NONEXISTENT, "no UID " + uid);
                }
                byte[] bytes = m.bytes;
                return new MessageContent() {
                    @Override
                    public long size() {
                        return bytes.length;
                    }

                    @Override
                    public InputStream open(long offset, long length) {
                        int from = (int) Math.min(offset, bytes.length);
                        return new ByteArrayInputStream(bytes, from, (int) Math.min(length, bytes.length - from));
                    }
                };
            }
        }

        @Override
        public MessageMeta append(AppendRequest request) throws StoreException {
            byte[] bytes = readAll(request.content());
            synchronized (state) {
                live();
                if (!fits(address, bytes.length)) {
                    throw new StoreException(Reason.OVER_QUOTA, "over quota");
                }
                String emailId = "E" + state.nextId++;
                long uid = add(box, request.flags(), request.internalDate(), bytes, emailId, "T" + emailId);
                post(StoreEvents.MESSAGES_ADDED, address, box, new long[] {uid}, null);
                return box.messages.get(uid).meta();
            }
        }

        @Override
        public List<MessageMeta> updateFlags(List<UidRange> uids, FlagUpdate update) throws StoreException {
            synchronized (state) {
                live();
                List<MessageMeta> applied = new ArrayList<>();
                List<Long> changed = new ArrayList<>();
                long modSeq = box.highestModSeq + 1;
                for (long uid : select(box, uids)) {
                    Msg m = box.messages.get(uid);
                    if (update.unchangedSince() >= 0 && m.modSeq > update.unchangedSince()) {
                        continue;
                    }
                    Flags flags = apply(m.flags, update);
                    if (flags.equals(m.flags)) {
                        applied.add(m.meta());
                        continue;
                    }
                    Msg next = new Msg(uid, modSeq, flags, m.internalDate, m.saveDate, m.bytes, m.emailId, m.threadId);
                    box.messages.put(uid, next);
                    applied.add(next.meta());
                    changed.add(uid);
                }
                if (!changed.isEmpty()) {
                    box.highestModSeq = modSeq;
                    post(StoreEvents.FLAGS_CHANGED, address, box, changed.stream().mapToLong(Long::longValue).toArray(),
                            null);
                }
                return applied;
            }
        }

        private static Flags apply(Flags current, FlagUpdate update) {
            Set<Flag> system = current.system().isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(current.system());
            Set<String> keywords = new TreeSet<>(current.keywords());
            switch (update.mode()) {
                case ADD -> {
                    system.addAll(update.flags().system());
                    keywords.addAll(update.flags().keywords());
                }
                case REMOVE -> {
                    system.removeAll(update.flags().system());
                    keywords.removeAll(update.flags().keywords());
                }
                case REPLACE -> {
                    return update.flags();
                }
            }
            return new Flags(system, keywords);
        }

        @Override
        public Map<Long, Long> copy(List<UidRange> uids, String target) throws StoreException {
            return transfer(uids, target, false);
        }

        @Override
        public Map<Long, Long> move(List<UidRange> uids, String target) throws StoreException {
            return transfer(uids, target, true);
        }

        private Map<Long, Long> transfer(List<UidRange> uids, String target, boolean move) throws StoreException {
            synchronized (state) {
                live();
                Box to = box(state.users.get(address), target);
                List<Long> selected = select(box, uids);
                long size = selected.stream().mapToLong(uid -> box.messages.get(uid).bytes.length).sum();
                if (!move && !fits(address, size)) {
                    throw new StoreException(Reason.OVER_QUOTA, "over quota");
                }
                Map<Long, Long> map = new LinkedHashMap<>();
                for (long uid : selected) {
                    Msg m = box.messages.get(uid);
                    map.put(uid, add(to, m.flags, m.internalDate, m.bytes, m.emailId, m.threadId));
                }
                if (!map.isEmpty()) {
                    post(StoreEvents.MESSAGES_ADDED, address, to, map.values().stream().mapToLong(Long::longValue).toArray(),
                            null);
                }
                if (move && !selected.isEmpty()) {
                    remove(selected);
                }
                return map;
            }
        }

        private void remove(List<Long> uids) {
            long modSeq = ++box.highestModSeq;
            for (long uid : uids) {
                box.messages.remove(uid);
                box.expunged.put(uid, modSeq);
            }
            post(StoreEvents.MESSAGES_EXPUNGED, address, box, uids.stream().mapToLong(Long::longValue).toArray(), null);
        }

        @Override
        public List<Long> expunge(List<UidRange> uids) throws StoreException {
            synchronized (state) {
                live();
                List<Long> selected = select(box, uids == null ? List.of(UidRange.ALL) : uids).stream()
                        .filter(uid -> box.messages.get(uid).flags.has(Flag.DELETED)).toList();
                if (!selected.isEmpty()) {
                    remove(selected);
                }
                return selected;
            }
        }

        @Override
        public void close() {
        }
    }
}
