package org.postbus.queue.internal;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/** A tiny authoritative DNS server over UDP on loopback, answering from a map of records. */
final class TestDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicInteger queries = new java.util.concurrent.atomic.AtomicInteger();

    TestDns() throws Exception {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    /** How many queries arrived so far. */
    int queries() {
        return queries.get();
    }

    String server() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    void mx(String domain, int preference, String host) throws Exception {
        Name n = Name.fromString(domain, Name.root);
        add(new MXRecord(n, DClass.IN, 60, preference, Name.fromString(host, Name.root)));
    }

    void a(String host, String ip) throws Exception {
        Name n = Name.fromString(host, Name.root);
        add(new ARecord(n, DClass.IN, 60, InetAddress.getByName(ip)));
    }

    void txt(String name, String text) throws Exception {
        Name n = Name.fromString(name, Name.root);
        // TTL 0: a test may change the record and expect the change to be seen.
        add(new TXTRecord(n, DClass.IN, 0, text));
    }

    void clear(String name) throws Exception {
        records.remove(Name.fromString(name, Name.root));
    }

    private void add(Record r) {
        records.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(r);
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Record question = q.getQuestion();
                Message answer = new Message(q.getHeader().getID());
                answer.getHeader().setFlag(Flags.QR);
                answer.getHeader().setFlag(Flags.AA);
                answer.addRecord(question, Section.QUESTION);
                List<Record> known = records.get(question.getName());
                if (known == null) {
                    answer.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    for (Record r : known) {
                        if (r.getType() == question.getType()) {
                            answer.addRecord(r, Section.ANSWER);
                        }
                    }
                }
                byte[] out = answer.toWire();
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (Exception e) {
                // closed, or a malformed query: keep serving
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
