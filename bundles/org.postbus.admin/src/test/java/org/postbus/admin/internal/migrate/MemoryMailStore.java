package org.postbus.admin.internal.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.AppendRequest;
import org.postbus.api.store.CheckReport;
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
import org.postbus.api.store.UidRange;

/**
 * A store in memory with just what the migration uses. It reads every message it is given whole
 * and fails the test if the bytes do not match the size the content announced.
 */
final class MemoryMailStore implements MailStore {

    /** A stored message. */
    record Stored(long uid, byte[] bytes, Flags flags, Instant internalDate) {
    }

    /** A mailbox. */
    static final class Box {
        final String name;
        long uidValidity;
        long uidNext = 1;
        final TreeMap<Long, Stored> messages = new TreeMap<>();

        Box(String name, long uidValidity) {
            this.name = name;
            this.uidValidity = uidValidity;
        }
    }

    private final Map<MailAddress, TreeMap<String, Box>> users = new TreeMap<>((a, b) -> a.toString().compareToIgnoreCase(b.toString()));
    private final Map<MailAddress, TreeSet<String>> subscriptions = new TreeMap<>((a, b) -> a.toString().compareToIgnoreCase(b.toString()));
    private long nextValidity = 1000;
    /** Messages stored beyond this many fail with OVER_QUOTA. */
    long messageLimit = Long.MAX_VALUE;
    /** What {@link #check} reports. */
    List<String> problems = List.of();

    synchronized TreeMap<String, Box> boxes(MailAddress user) {
        return users.computeIfAbsent(user, u -> {
            TreeMap<String, Box> boxes = new TreeMap<>();
            boxes.put(INBOX, new Box(INBOX, nextValidity++));
            return boxes;
        });
    }

    synchronized Box box(MailAddress user, String name) {
        return boxes(user).get(canonical(name));
    }

    private static String canonical(String name) {
        int slash = name.indexOf(HIERARCHY_SEPARATOR);
        String top = slash < 0 ? name : name.substring(0, slash);
        return top.equalsIgnoreCase(INBOX) ? INBOX + name.substring(top.length()) : name;
    }

    private static void validate(String name) throws StoreException {
        if (name.isEmpty() || name.startsWith("/") || name.endsWith("/") || name.contains("//") || name.contains("*")
                || name.contains("%")) {
            throw new StoreException(StoreException.Reason.INVALID_NAME, "mailbox name '" + name + "' is not allowed");
        }
    }

    private synchronized Box createWithParents(MailAddress user, String name) throws StoreException {
        validate(name);
        String canonical = canonical(name);
        TreeMap<String, Box> boxes = boxes(user);
        for (int i = canonical.indexOf('/'); i >= 0; i = canonical.indexOf('/', i + 1)) {
            boxes.computeIfAbsent(canonical.substring(0, i), n -> new Box(n, nextValidity++));
        }
        return boxes.computeIfAbsent(canonical, n -> new Box(n, nextValidity++));
    }

    private synchronized int count() {
        return users.values().stream().flatMap(m -> m.values().stream()).mapToInt(b -> b.messages.size()).sum();
    }

    private static byte[] read(MessageContent content) throws StoreException {
        try (InputStream in = content.open()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length != content.size()) {
                throw new AssertionError("content announced " + content.size() + " bytes but gave " + bytes.length);
            }
            return bytes;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot read the message: " + e.getMessage(), e);
        }
    }

    private MailboxInfo info(MailAddress user, Box box) {
        return new MailboxInfo(box.name, "id-" + box.name, box.uidValidity, Set.of(),
                subscriptions(user).contains(box.name));
    }

    @Override
    public synchronized List<MailboxInfo> mailboxes(MailAddress user) {
        return boxes(user).values().stream().map(b -> info(user, b)).toList();
    }

    @Override
    public synchronized MailboxInfo create(MailAddress user, String name, Set<SpecialUse> specialUse) throws StoreException {
        validate(name);
        if (box(user, name) != null) {
            throw new StoreException(StoreException.Reason.ALREADY_EXISTS, "mailbox " + name + " exists");
        }
        return info(user, createWithParents(user, name));
    }

    @Override
    public synchronized void subscribe(MailAddress user, String name, boolean subscribed) throws StoreException {
        validate(name);
        TreeSet<String> set = subscriptions.computeIfAbsent(user, u -> new TreeSet<>());
        if (subscribed) {
            set.add(canonical(name));
        } else {
            set.remove(canonical(name));
        }
    }

    @Override
    public synchronized List<String> subscriptions(MailAddress user) {
        return new ArrayList<>(subscriptions.getOrDefault(user, new TreeSet<>()));
    }

    @Override
    public synchronized List<MailAddress> users() {
        return new ArrayList<>(users.keySet());
    }

    @Override
    public synchronized Mailbox open(MailAddress user, String name) throws StoreException {
        Box box = box(user, name);
        if (box == null) {
            throw new StoreException(StoreException.Reason.NONEXISTENT, "no mailbox " + name);
        }
        return new MemoryMailbox(user, box);
    }

    @Override
    public synchronized MailboxInfo importMailbox(MailAddress user, String name, long uidValidity, long uidNext,
            List<ImportedMessage> messages) throws StoreException {
        validate(name);
        Box existing = box(user, name);
        if (existing != null && existing.uidNext != 1) {
            throw new StoreException(StoreException.Reason.NOT_ALLOWED, "mailbox " + name + " has held messages");
        }
        if (count() + messages.size() > messageLimit) {
            throw new StoreException(StoreException.Reason.OVER_QUOTA, "over quota");
        }
        long previous = 0;
        List<Stored> stored = new ArrayList<>();
        for (ImportedMessage m : messages) {
            if (m.uid() <= previous || m.uid() >= uidNext) {
                throw new AssertionError("UIDs must ascend and stay below UIDNEXT: " + m.uid() + " after " + previous);
            }
            previous = m.uid();
            stored.add(new Stored(m.uid(), read(m.message().content()), m.message().flags(), m.message().internalDate()));
        }
        Box box = createWithParents(user, name);
        box.uidValidity = uidValidity;
        box.uidNext = uidNext;
        stored.forEach(s -> box.messages.put(s.uid(), s));
        return info(user, box);
    }

    @Override
    public CheckReport check(MailAddress user, boolean repair) {
        TreeMap<String, Box> boxes = boxes(user);
        long messages = boxes.values().stream().mapToLong(b -> b.messages.size()).sum();
        return new CheckReport(user.toString(), boxes.size(), messages, problems, repair && !problems.isEmpty());
    }

    @Override
    public void rename(MailAddress user, String from, String to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(MailAddress user, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<MailAddress, Long> deliver(Map<MailAddress, String> targets, AppendRequest message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Quota quota(MailAddress user) {
        throw new UnsupportedOperationException();
    }

    /** An open mailbox. */
    private final class MemoryMailbox implements Mailbox {
        private final MailAddress user;
        private final Box box;

        MemoryMailbox(MailAddress user, Box box) {
            this.user = user;
            this.box = box;
        }

        @Override
        public MailboxInfo info() {
            synchronized (MemoryMailStore.this) {
                return MemoryMailStore.this.info(user, box);
            }
        }

        @Override
        public MailboxStatus status() {
            synchronized (MemoryMailStore.this) {
                long unseen = box.messages.values().stream().filter(s -> !s.flags().has(org.postbus.api.store.Flag.SEEN)).count();
                long size = box.messages.values().stream().mapToLong(s -> s.bytes().length).sum();
                return new MailboxStatus(box.messages.size(), unseen, 0, box.uidNext, box.uidValidity, 1, size, 0);
            }
        }

        @Override
        public long[] uids() {
            synchronized (MemoryMailStore.this) {
                return box.messages.keySet().stream().mapToLong(Long::longValue).toArray();
            }
        }

        @Override
        public Stream<MessageMeta> messages(UidRange range) {
            synchronized (MemoryMailStore.this) {
                return box.messages.values().stream().filter(s -> range.contains(s.uid()))
                        .map(s -> new MessageMeta(s.uid(), 1, s.flags(), s.internalDate(), s.internalDate(), s.bytes().length,
                                "e" + s.uid(), "t" + s.uid()))
                        .toList().stream();
            }
        }

        @Override
        public MessageContent content(long uid) throws StoreException {
            Stored s;
            synchronized (MemoryMailStore.this) {
                s = box.messages.get(uid);
            }
            if (s == null) {
                throw new StoreException(StoreException.Reason.NONEXISTENT, "no message " + uid);
            }
            byte[] bytes = s.bytes();
            return new MessageContent() {
                @Override
                public long size() {
                    return bytes.length;
                }

                @Override
                public InputStream open(long offset, long length) {
                    int from = (int) Math.min(offset, bytes.length);
                    int n = (int) Math.min(length, bytes.length - from);
                    return new java.io.ByteArrayInputStream(bytes, from, n);
                }
            };
        }

        @Override
        public MessageMeta append(AppendRequest request) throws StoreException {
            byte[] bytes = read(request.content());
            synchronized (MemoryMailStore.this) {
                if (count() + 1 > messageLimit) {
                    throw new StoreException(StoreException.Reason.OVER_QUOTA, "over quota");
                }
                long uid = box.uidNext++;
                box.messages.put(uid, new Stored(uid, bytes, request.flags(), request.internalDate()));
                return new MessageMeta(uid, 1, request.flags(), request.internalDate(), Instant.now(), bytes.length,
                        "e" + uid, "t" + uid);
            }
        }

        @Override
        public Stream<MessageMeta> changedSince(long modSeq) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Long> expungedSince(long modSeq) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<MessageMeta> updateFlags(List<UidRange> uids, FlagUpdate update) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<Long, Long> copy(List<UidRange> uids, String target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<Long, Long> move(List<UidRange> uids, String target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Long> expunge(List<UidRange> uids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
