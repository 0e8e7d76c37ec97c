package org.postbus.itests.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbound queue survives {@code kill -9} under load: messages for a remote domain whose
 * receiving server is down are submitted as fast as a client can; the server is killed in the
 * middle; after a restart, with the receiver up, every message Postbus acknowledged with 250
 * arrives (duplicates are allowed by SMTP's at-least-once rule and counted, none may be lost).
 */
class QueueCrashIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final int MESSAGES = 150;
    /** Acknowledged messages before the kill: the rest of the load is cut off mid-flight. */
    private static final int KILL_AFTER = 50;
    private static final Pattern SUBJECT = Pattern.compile("Subject: (load-\\d+)");

    private OutboundIT.Dns dns;
    private OutboundIT.Receiver receiver;
    private Server server;
    private Process load;

    @AfterEach
    void stop() throws Exception {
        if (load != null) {
            load.destroyForcibly();
        }
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void everyAcknowledgedMessageArrivesAfterKill9() throws Exception {
        dns = new OutboundIT.Dns();
        dns.mx("remote.test", 10, "mx.remote.test");
        dns.a("mx.remote.test", "127.0.0.1");
        // The receiver's port is chosen now, but nothing listens there until after the crash.
        int receiverPort = Server.freePort();
        server = Server.fresh("queue-crash");
        OutboundIT.writeQueueConfig(server, dns, receiverPort, "0.05");
        server.start();
        server.awaitHealthy(START);
        Server.Result add = server.cli("user", "add", "alice@example.test", "--password", "correct horse");
        assertEquals(0, add.exit(), add.toString());

        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        StringBuilder loadOutput = new StringBuilder();
        load = startLoad();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(load.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (loadOutput) {
                        loadOutput.append(line).append('\n');
                    }
                    if (line.startsWith("OK ")) {
                        acknowledged.add(Integer.parseInt(line.substring(3).strip()));
                    }
                }
            } catch (IOException e) {
                // the load ended
            }
        }, "load-output");
        reader.start();
        Server.await(Duration.ofSeconds(120), () -> acknowledged.size() >= KILL_AFTER || !load.isAlive(),
                "the first " + KILL_AFTER + " acknowledged messages");
        server.kill9();
        assertFalse(server.alive());
        assertTrue(load.waitFor(60, TimeUnit.SECONDS), "the client notices the crash");
        reader.join(10_000);
        String output;
        synchronized (loadOutput) {
            output = loadOutput.toString();
        }
        assertTrue(acknowledged.size() >= KILL_AFTER, "load before the kill:\n" + output);
        assertTrue(acknowledged.size() < MESSAGES, "the kill came in the middle of the load:\n" + output);

        receiver = new OutboundIT.Receiver(receiverPort);
        server.start();
        server.awaitHealthy(START);
        Server.await(Duration.ofSeconds(180), () -> received().keySet().containsAll(subjects(acknowledged)),
                "every acknowledged message at the receiver (" + acknowledged.size() + " acknowledged)");

        Map<String, Integer> counts = received();
        Set<String> lost = new TreeSet<>(subjects(acknowledged));
        lost.removeAll(counts.keySet());
        assertEquals(Set.of(), lost, "lost after kill -9");
        long duplicates = counts.values().stream().filter(n -> n > 1).count();
        // Reported, not failed: a message sent just before the kill and not yet recorded as sent
        // goes out again (at least once, RFC 5321 section 6.1).
        System.out.printf("QueueCrashIT: %d acknowledged before kill -9, %d distinct received (%d unacknowledged "
                + "that made it anyway), %d received more than once%n", acknowledged.size(), counts.size(),
                counts.size() - acknowledged.size(), duplicates);
        Server.await(Duration.ofSeconds(60), () -> {
            try {
                return server.cli("queue", "list").out().contains("The queue is empty.");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, "the queue to empty after the restart");
    }

    private Process startLoad() throws IOException {
        String script = String.join("\n",
                "import os, smtplib, ssl, sys",
                "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE",
                "s = smtplib.SMTP('127.0.0.1', int(os.environ['POSTBUS_SUBMISSION_PORT']), timeout=30)",
                "s.starttls(context=ctx)",
                "s.login('alice@example.test', 'correct horse')",
                "for i in range(" + MESSAGES + "):",
                "    try:",
                "        s.sendmail('alice@example.test', ['bob@remote.test'], 'From: alice@example.test\\r\\n"
                        + "To: bob@remote.test\\r\\nSubject: load-%d\\r\\n\\r\\nbody %d\\r\\n' % (i, i))",
                "    except Exception as e:",
                "        print('FAIL', i, repr(e), flush=True)",
                "        sys.exit(0)",
                "    print('OK', i, flush=True)");
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", script);
        pb.environment().putAll(server.env);
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private Map<String, Integer> received() {
        Map<String, Integer> counts = new TreeMap<>();
        for (OutboundIT.Receiver.Message m : List.copyOf(receiver.received)) {
            Matcher matcher = SUBJECT.matcher(m.text());
            if (matcher.find()) {
                counts.merge(matcher.group(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static Set<String> subjects(Set<Integer> numbers) {
        Set<String> s = new TreeSet<>();
        numbers.forEach(n -> s.add("load-" + n));
        return s;
    }
}
