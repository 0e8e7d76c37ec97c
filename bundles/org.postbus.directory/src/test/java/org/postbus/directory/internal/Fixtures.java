package org.postbus.directory.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.postbus.api.mail.MailAddress;

/** Shared set-up: directories with cheap Argon2 parameters, and a listener that records events. */
final class Fixtures {

    /** Cheap enough for tests; the real cost is tested once in {@code PasswordHasherTest}. */
    static final PasswordHasher.Params FAST = new PasswordHasher.Params(64, 1, 1);
    static final DirectorySettings SETTINGS = DirectorySettings.DEFAULTS.withArgon2(FAST);

    private Fixtures() {
    }

    static FileDirectory open(Path dir) throws DirectoryFileException {
        return FileDirectory.open(dir, SETTINGS, Clock.systemUTC(), ChangeListener.NONE);
    }

    static MailAddress addr(String text) {
        return MailAddress.parse(text);
    }

    static char[] pw(String text) {
        return text.toCharArray();
    }

    /** Records every change announced by a directory. */
    static final class Events implements ChangeListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public synchronized void changed(String topic, String name, String change) {
            seen.add(topic.substring(topic.lastIndexOf('/') + 1) + " " + name + " " + change);
        }
    }
}
