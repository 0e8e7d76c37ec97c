package org.postbus.mime;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;
import org.postbus.mime.internal.thread.OrderedSubject;
import org.postbus.mime.internal.thread.ReferencesThreader;

/** The RFC 5256 threading algorithms; render the result with {@link ImapFormat#thread(List)}. */
@ProviderType
public final class Threading {

    private Threading() {
    }

    /** THREAD=ORDEREDSUBJECT: messages grouped by base subject, each group a flat thread. */
    public static List<ThreadNode> orderedSubject(List<ThreadInput> messages) {
        return OrderedSubject.thread(messages);
    }

    /** THREAD=REFERENCES: threads built from Message-ID, References and In-Reply-To. */
    public static List<ThreadNode> references(List<ThreadInput> messages) {
        return ReferencesThreader.thread(messages);
    }
}
