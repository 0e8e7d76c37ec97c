package org.postbus.mime.internal.thread;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postbus.mime.ThreadInput;
import org.postbus.mime.ThreadNode;

/**
 * THREAD=ORDEREDSUBJECT (RFC 5256 section 3): sort by base subject and sent date, group by base
 * subject; the first message of a group is the root and the others are its children; threads in
 * the order of their first message's date.
 */
public final class OrderedSubject {

    private OrderedSubject() {
    }

    public static List<ThreadNode> thread(List<ThreadInput> messages) {
        List<ThreadInput> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparing((ThreadInput t) -> Subjects.key(t.baseSubject()))
                .thenComparing(ThreadInput::date).thenComparingLong(ThreadInput::id));
        Map<String, List<ThreadInput>> groups = new LinkedHashMap<>();
        for (ThreadInput t : sorted) {
            groups.computeIfAbsent(Subjects.key(t.baseSubject()), k -> new ArrayList<>()).add(t);
        }
        List<List<ThreadInput>> threads = new ArrayList<>(groups.values());
        threads.sort(Comparator.comparing((List<ThreadInput> g) -> g.get(0).date())
                .thenComparingLong(g -> g.get(0).id()));
        List<ThreadNode> roots = new ArrayList<>();
        for (List<ThreadInput> g : threads) {
            List<ThreadNode> kids = new ArrayList<>();
            for (ThreadInput t : g.subList(1, g.size())) {
                kids.add(new ThreadNode(t.id()));
            }
            roots.add(new ThreadNode(g.get(0).id(), kids));
        }
        return roots;
    }
}
