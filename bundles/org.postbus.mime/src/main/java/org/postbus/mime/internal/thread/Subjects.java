package org.postbus.mime.internal.thread;

import org.postbus.mime.internal.sort.Collation;

/** Base subjects compared with the i;unicode-casemap collation, as SORT compares them. */
final class Subjects {

    private Subjects() {
    }

    static String key(String baseSubject) {
        return Collation.key(baseSubject);
    }
}
