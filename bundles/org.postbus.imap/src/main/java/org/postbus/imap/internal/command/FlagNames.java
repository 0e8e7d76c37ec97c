package org.postbus.imap.internal.command;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.postbus.api.store.Flag;
import org.postbus.api.store.Flags;
import org.postbus.imap.internal.codec.ParseException;

/** Turns the flag names of STORE and APPEND into store flags. */
final class FlagNames {

    private FlagNames() {
    }

    static Flags parse(List<String> names) throws ParseException {
        Set<Flag> system = EnumSet.noneOf(Flag.class);
        Set<String> keywords = new LinkedHashSet<>();
        for (String name : names) {
            if (name.startsWith("\\")) {
                if (name.equalsIgnoreCase("\\Recent")) {
                    // RFC 3501 2.3.2: the server alone sets it; the flag grammar excludes it.
                    throw new ParseException("\\Recent cannot be set by a client");
                }
                Flag found = null;
                for (Flag f : Flag.values()) {
                    if (f.imapName().equalsIgnoreCase(name)) {
                        found = f;
                    }
                }
                if (found == null) {
                    throw new ParseException("Unknown system flag " + name);
                }
                system.add(found);
            } else {
                keywords.add(name);
            }
        }
        return new Flags(system, keywords);
    }
}
