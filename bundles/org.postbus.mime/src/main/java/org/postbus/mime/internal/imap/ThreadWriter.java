package org.postbus.mime.internal.imap;

import java.util.List;
import org.postbus.mime.ThreadNode;

/**
 * The THREAD response data (RFC 5256 section 4): each thread in parentheses; a chain of single
 * children is a space-separated list, siblings are each parenthesised; a dummy node (id 0) is
 * left out and its children stand in its place.
 */
public final class ThreadWriter {

    private ThreadWriter() {
    }

    public static String write(List<ThreadNode> roots) {
        StringBuilder b = new StringBuilder();
        for (ThreadNode root : roots) {
            b.append('(');
            chain(b, root);
            b.append(')');
        }
        return b.toString();
    }

    /** Writes a node and its descendants inside an already open parenthesis. */
    private static void chain(StringBuilder b, ThreadNode node) {
        ThreadNode n = node;
        boolean first = true;
        while (true) {
            if (n.id() != 0) {
                if (!first) {
                    b.append(' ');
                }
                b.append(n.id());
                first = false;
            }
            List<ThreadNode> kids = n.children();
            if (kids.size() == 1 && n.id() != 0) {
                n = kids.get(0);
                continue;
            }
            if (kids.size() == 1) {
                // a dummy with one child: the child takes its place
                n = kids.get(0);
                continue;
            }
            if (!kids.isEmpty()) {
                if (!first) {
                    b.append(' ');
                }
                for (ThreadNode k : kids) {
                    b.append('(');
                    chain(b, k);
                    b.append(')');
                }
            }
            return;
        }
    }
}
