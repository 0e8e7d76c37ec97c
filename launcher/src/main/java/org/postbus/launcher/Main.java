package org.postbus.launcher;

import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code bin/postbus}: {@code run} starts the server in the foreground; the
 * administration commands talk to a running server.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        List<String> list = Arrays.asList(args);
        if (list.isEmpty() || list.get(0).equals("help") || list.get(0).equals("--help")) {
            System.out.println(AdminClient.usage().getMessage());
            System.exit(list.isEmpty() ? 2 : 0);
        }
        Home home = Home.current();
        if (list.get(0).equals("run")) {
            System.exit(new Launcher(home).run());
        }
        System.exit(new AdminClient(home, System.out, System.err).execute(list));
    }
}
