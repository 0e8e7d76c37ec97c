package org.postbus.mime;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A node of a thread tree (RFC 5256). Id 0 is a dummy (placeholder) node, kept where RFC 5256
 * keeps one, for example a missing parent with several children.
 *
 * @param id the message's id as given in {@link ThreadInput#id()}, or 0 for a dummy
 * @param children the replies, in thread order
 */
@ProviderType
public record ThreadNode(long id, List<ThreadNode> children) {

    /** Copies the children. */
    public ThreadNode {
        children = List.copyOf(children);
    }

    /** A node without children. */
    public ThreadNode(long id) {
        this(id, List.of());
    }
}
