package org.postbus.itests.osgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * On a failed test, prints where the server's log is and its last lines, and the bundles that
 * are not active, so that the failsafe output says why without a rerun. Runs inside the probe.
 */
public final class LogOnFailure extends TestWatcher {

    private static final int TAIL = 60;

    @Override
    protected void failed(Throwable e, Description description) {
        Bundle probe = FrameworkUtil.getBundle(LogOnFailure.class);
        BundleContext context = probe == null ? null : probe.getBundleContext();
        if (context == null) {
            return; // not inside the container: nothing to show
        }
        StringBuilder out = new StringBuilder();
        out.append("==== ").append(description.getDisplayName()).append(" failed: ").append(e).append('\n');
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (b.getState() != Bundle.ACTIVE && !(fragment && b.getState() == Bundle.RESOLVED)) {
                out.append("  not active: ").append(b.getSymbolicName()).append(' ').append(b.getVersion())
                        .append(" state ").append(b.getState()).append('\n');
            }
        }
        String logs = context.getProperty("postbus.logs");
        if (logs != null) {
            Path log = Path.of(logs, "postbus.log");
            out.append("==== server log ").append(log).append(", last ").append(TAIL).append(" lines:\n");
            try {
                List<String> lines = Files.readAllLines(log);
                lines.subList(Math.max(0, lines.size() - TAIL), lines.size()).forEach(l -> out.append("  ").append(l).append('\n'));
            } catch (IOException unreadable) {
                out.append("  (cannot read it: ").append(unreadable).append(")\n");
            }
        }
        System.err.print(out);
    }
}
