package org.postbus.queue.internal;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.api.mail.DsnNotify;
import org.postbus.api.mail.DsnReturn;
import org.postbus.api.mail.Envelope;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;

/**
 * The queue against a real receiving SMTP server and a real DNS server, both on loopback:
 * {@code remote.test} has two MX records (the preferred one without an address) pointing at
 * the test SMTP server; {@code sender.test} (where bounces go) too.
 */
abstract class QueueTestBase {

    static final MailAddress SENDER = MailAddress.parse("alice@sender.test");

    @TempDir
    Path dir;

    TestDns dns;
    TestSmtpServer smtp;
    QueueComponent queue;

    @BeforeEach
    void setUpServers() throws Exception {
        dns = new TestDns();
        smtp = new TestSmtpServer();
        dns.mx("sender.test", 10, "mx.sender.test");
        dns.a("mx.sender.test", "127.0.0.1");
        // Preference order: the 5 one is tried first and has no address record.
        dns.mx("remote.test", 20, "mx.remote.test");
        dns.mx("remote.test", 5, "missing.remote.test");
        dns.a("mx.remote.test", "127.0.0.1");
        dns.a("nomx.test", "127.0.0.1");
        dns.mx("nullmx.test", 0, ".");
    }

    @AfterEach
    void tearDownServers() throws Exception {
        if (queue != null) {
            queue.deactivate();
        }
        smtp.close();
        dns.close();
    }

    QueueComponent start(Map<String, Object> overrides) {
        QueueComponent q = new QueueComponent();
        q.start(dir.resolve("queue"), config(overrides));
        return q;
    }

    QueueConfig config(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>();
        values.put("dns_server", dns.server());
        values.put("port", smtp.port());
        values.put("hostname", "queue.test");
        values.put("retry_schedule_minutes", "0.005");
        values.put("connect_timeout_seconds", 2);
        values.put("command_timeout_seconds", 5);
        values.putAll(overrides);
        return (QueueConfig) Proxy.newProxyInstance(QueueConfig.class.getClassLoader(),
                new Class<?>[] {QueueConfig.class}, (p, m, a) -> values.containsKey(m.getName())
                        ? values.get(m.getName()) : m.getDefaultValue());
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(50);
        }
    }

    static byte[] message(String body) {
        return message("", body);
    }

    static byte[] message(String extraHeaders, String body) {
        return ("From: alice@sender.test\r\nTo: bob@remote.test\r\nSubject: hello\r\n" + extraHeaders + "\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    static EnvelopeRecipient rcpt(String address, Set<DsnNotify> notify, String orcpt) {
        return new EnvelopeRecipient(MailAddress.parse(address), notify, Optional.ofNullable(orcpt));
    }

    static Envelope envelope(Optional<DsnReturn> ret, String envid, boolean requireTls, EnvelopeRecipient... rcpts) {
        return new Envelope(Optional.of(SENDER), List.of(rcpts), ret, Optional.ofNullable(envid), requireTls, false);
    }

    /** Receives the next two messages and returns the one with the null sender (the notice) last. */
    TestSmtpServer.Received[] originalAndNotice() throws InterruptedException {
        TestSmtpServer.Received first = smtp.next();
        TestSmtpServer.Received second = smtp.next();
        if (second == null) {
            throw new AssertionError("expected two messages, got " + (first == null ? "none" : "one"));
        }
        return first.sender().isEmpty() ? new TestSmtpServer.Received[] {second, first}
                : new TestSmtpServer.Received[] {first, second};
    }
}
