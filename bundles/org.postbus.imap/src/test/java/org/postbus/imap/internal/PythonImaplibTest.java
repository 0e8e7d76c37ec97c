package org.postbus.imap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postbus.testkit.Processes;

/** Python's imaplib, a real client, against the server: plain login and STARTTLS. */
@Timeout(120)
class PythonImaplibTest {

    @TempDir
    Path dir;

    private static final String SCRIPT = """
            import imaplib, ssl, sys, email
            port = int(sys.argv[1])
            m = imaplib.IMAP4('127.0.0.1', port)
            if sys.argv[2] == 'tls':
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                m.starttls(ssl_context=ctx)
            assert 'IMAP4REV1' in m.capabilities, m.capabilities
            m.login('alice', 'secret')
            typ, data = m.list()
            assert typ == 'OK' and any(b'INBOX' in d for d in data), data
            typ, data = m.create('Reports')
            assert typ == 'OK', data
            msg = b'From: a@example.org\\r\\nSubject: imaplib test\\r\\n\\r\\nHello from imaplib\\r\\n'
            typ, data = m.append('INBOX', '(\\\\Flagged)', imaplib.Time2Internaldate(1700000000), msg)
            assert typ == 'OK' and b'APPENDUID' in data[0], data
            typ, data = m.select('INBOX')
            assert typ == 'OK', data
            count = int(data[0])
            typ, data = m.search(None, 'SUBJECT', '"imaplib test"')
            ids = data[0].split()
            assert len(ids) == 1, data
            typ, data = m.fetch(ids[0], '(RFC822 FLAGS INTERNALDATE)')
            assert typ == 'OK', data
            parsed = email.message_from_bytes(data[0][1])
            assert parsed['Subject'] == 'imaplib test', parsed['Subject']
            rest = data[0][0] + data[1]
            assert b'\\\\Flagged' in rest and b'\\\\Seen' in rest, rest
            date = imaplib.Internaldate2tuple(rest)
            assert date is not None, rest
            typ, data = m.uid('COPY', '1', 'Reports')
            assert typ == 'OK', data
            typ, data = m.store(ids[0], '+FLAGS', '\\\\Deleted')
            assert typ == 'OK', data
            typ, data = m.expunge()
            assert typ == 'OK' and data == [ids[0]], data
            typ, data = m.status('Reports', '(MESSAGES UNSEEN)')
            assert typ == 'OK' and b'MESSAGES 1' in data[0], data
            typ, data = m.uid('SEARCH', None, 'ALL')
            assert typ == 'OK', data
            m.close()
            m.logout()
            print('imaplib ok', count)
            """;

    @Test
    void plainSession() throws Exception {
        run("plain");
    }

    @Test
    void startTlsSession() throws Exception {
        run("tls");
    }

    private void run(String mode) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Processes.Result result = Processes.run(List.of("python3", "-c", SCRIPT, Integer.toString(server.port()),
                    mode), null);
            assertEquals(0, result.exitCode(), result.output());
            assertEquals("imaplib ok 1", result.output().strip(), result.output());
        }
    }
}
