package org.postbus.mime.internal.thread;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postbus.mime.ThreadInput;
import org.postbus.mime.ThreadNode;

/** THREAD=REFERENCES (RFC 5256 section 3, the REFERENCES algorithm, steps 1 to 6). */
public final class ReferencesThreader {

    /** A node of the id table: a message, or a dummy for an id only seen in references. */
    private static final class Container {
        ThreadInput message;
        Container parent;
        final List<Container> children = new ArrayList<>();

        boolean isDummy() {
            return message == null;
        }

        boolean isAncestorOf(Container c) {
            for (Container p = c; p != null; p = p.parent) {
                if (p == this) {
                    return true;
                }
            }
            return false;
        }

        void unlink() {
            if (parent != null) {
                parent.children.remove(this);
                parent = null;
            }
        }

        void add(Container child) {
            child.unlink();
            child.parent = this;
            children.add(child);
        }

        /** The date and id this container sorts by: its own, or a dummy's first child's. */
        ThreadInput sortKey() {
            Container c = this;
            while (c.message == null && !c.children.isEmpty()) {
                c = c.children.get(0);
            }
            return c.message;
        }
    }

    private ReferencesThreader() {
    }

    public static List<ThreadNode> thread(List<ThreadInput> messages) {
        Map<String, Container> ids = new HashMap<>();
        List<Container> all = new ArrayList<>();
        // (1) link messages to their references
        for (ThreadInput m : messages) {
            Container self = null;
            if (m.messageId().isPresent()) {
                Container c = ids.get(m.messageId().get());
                if (c == null) {
                    c = new Container();
                    ids.put(m.messageId().get(), c);
                    all.add(c);
                } else if (c.message != null) {
                    c = null; // a duplicate id: this one gets a unique id of its own
                }
                self = c;
            }
            if (self == null) {
                self = new Container();
                all.add(self);
            }
            self.message = m;
            Container prev = null;
            for (String ref : m.references()) {
                Container c = ids.get(ref);
                if (c == null) {
                    c = new Container();
                    ids.put(ref, c);
                    all.add(c);
                }
                if (prev != null && c.parent == null && c != prev && !c.isAncestorOf(prev)) {
                    prev.add(c);
                }
                prev = c;
            }
            // (1B) the last reference is the message's parent, whatever was believed before
            if (prev == null) {
                self.unlink();
            } else if (prev != self && !self.isAncestorOf(prev)) {
                prev.add(self);
            }
        }
        // (2) the root set
        List<Container> roots = new ArrayList<>();
        for (Container c : all) {
            if (c.parent == null) {
                roots.add(c);
            }
        }
        // (4) prune dummies
        roots = prune(roots, true);
        for (Container r : roots) {
            r.parent = null;
        }
        // (5) merge threads by subject. The roots are visited in date order (as Dovecot does),
        // which decides which of two equal subjects becomes the parent; sorting the children
        // first makes a dummy's "first child" well defined.
        for (Container r : roots) {
            sortDeep(r);
        }
        sort(roots);
        roots = bySubject(roots);
        // (6) sort siblings by date
        for (Container r : roots) {
            sortDeep(r);
        }
        sort(roots);
        List<ThreadNode> out = new ArrayList<>(roots.size());
        for (Container r : roots) {
            out.add(node(r));
        }
        return out;
    }

    private static List<Container> prune(List<Container> level, boolean root) {
        List<Container> out = new ArrayList<>();
        for (Container c : level) {
            List<Container> kids = prune(new ArrayList<>(c.children), false);
            c.children.clear();
            for (Container k : kids) {
                k.parent = c;
                c.children.add(k);
            }
            if (c.isDummy()) {
                if (c.children.isEmpty()) {
                    continue;
                }
                if (!root || c.children.size() == 1) {
                    for (Container k : c.children) {
                        k.parent = null;
                        out.add(k);
                    }
                    continue;
                }
            }
            out.add(c);
        }
        return out;
    }

    private static List<Container> bySubject(List<Container> roots) {
        Map<String, Container> table = new LinkedHashMap<>();
        for (Container c : roots) {
            ThreadInput m = c.isDummy() ? c.children.get(0).message : c.message;
            if (m == null) {
                continue;
            }
            String subject = Subjects.key(m.baseSubject());
            if (subject.isEmpty()) {
                continue;
            }
            Container old = table.get(subject);
            if (old == null
                    || (c.isDummy() && !old.isDummy())
                    || (!old.isDummy() && old.message.replyOrForward() && !c.isDummy()
                            && !c.message.replyOrForward())) {
                table.put(subject, c);
            }
        }
        List<Container> out = new ArrayList<>(roots);
        for (Container c : roots) {
            ThreadInput m = c.isDummy() ? (c.children.isEmpty() ? null : c.children.get(0).message) : c.message;
            if (m == null) {
                continue;
            }
            String subject = Subjects.key(m.baseSubject());
            Container t = table.get(subject);
            if (subject.isEmpty() || t == null || t == c) {
                continue;
            }
            if (t.isDummy() && c.isDummy()) {
                for (Container k : new ArrayList<>(c.children)) {
                    t.add(k);
                }
                out.remove(c);
            } else if (t.isDummy()) {
                t.add(c);
                out.remove(c);
            } else if (!c.isDummy() && c.message.replyOrForward() && !t.message.replyOrForward()) {
                t.add(c);
                out.remove(c);
            } else {
                Container dummy = new Container();
                out.set(out.indexOf(t), dummy);
                out.remove(c);
                dummy.add(t);
                dummy.add(c);
                table.put(subject, dummy);
            }
        }
        for (Container c : out) {
            c.parent = null;
        }
        return out;
    }

    private static final Comparator<Container> BY_DATE = Comparator
            .comparing((Container c) -> date(c)).thenComparingLong(c -> id(c));

    private static Instant date(Container c) {
        ThreadInput m = c.sortKey();
        return m == null ? Instant.MIN : m.date();
    }

    private static long id(Container c) {
        ThreadInput m = c.sortKey();
        return m == null ? 0 : m.id();
    }

    private static void sort(List<Container> list) {
        list.sort(BY_DATE);
    }

    private static void sortDeep(Container c) {
        for (Container k : c.children) {
            sortDeep(k);
        }
        sort(c.children);
    }

    private static ThreadNode node(Container c) {
        List<ThreadNode> kids = new ArrayList<>(c.children.size());
        for (Container k : c.children) {
            kids.add(node(k));
        }
        return new ThreadNode(c.isDummy() ? 0 : c.message.id(), kids);
    }
}
