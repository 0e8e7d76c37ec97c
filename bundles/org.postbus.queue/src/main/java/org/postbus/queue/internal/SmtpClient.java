package org.postbus.queue.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MessageContent;

/**
 * One SMTP client session to one address (RFC 5321): EHLO (HELO if refused), STARTTLS when
 * offered or required, MAIL with SIZE, RCPT per recipient, DATA with dot-stuffing, QUIT.
 */
final class SmtpClient {

    /** The session could not deliver to anyone on this host; another host may do better. */
    static final class HostFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final Failure failure;

        HostFailure(Failure failure) {
            super(failure.diagnostic());
            this.failure = failure;
        }
    }

    /** Settings of a session. */
    record Settings(String heloName, int connectTimeoutMillis, int commandTimeoutMillis, SSLContext tls) {
    }

    private static final int MAX_LINE = 4096;
    private static final int MAX_REPLY_LINES = 100;

    private final Settings settings;

    SmtpClient(Settings settings) {
        this.settings = settings;
    }

    /**
     * Delivers to the recipients through one server.
     *
     * @param hostName the MX name, for messages and the TLS SNI
     * @param address where to connect
     * @param tlsRequired whether to give up unless STARTTLS succeeds
     * @param plainOnly whether to skip STARTTLS (after a failed handshake with this host)
     * @return per recipient: empty when delivered, else the failure
     * @throws HostFailure when nothing was delivered for a reason tied to this host or session
     */
    Map<MailAddress, Optional<Failure>> send(String hostName, InetSocketAddress address, boolean tlsRequired,
            boolean plainOnly, Optional<MailAddress> sender, List<MailAddress> recipients, MessageContent content)
            throws HostFailure, TlsFailure {
        String mta = hostName + " [" + address.getAddress().getHostAddress() + "]";
        try (Socket plain = new Socket()) {
            plain.connect(address, settings.connectTimeoutMillis());
            plain.setSoTimeout(settings.commandTimeoutMillis());
            Conversation c = new Conversation(plain);
            SmtpReply greeting = c.read();
            if (!greeting.positive()) {
                throw new HostFailure(temporaryFromHost(greeting, mta));
            }
            Map<String, String> ext = ehlo(c, mta);
            if (ext.containsKey("STARTTLS") && !plainOnly || tlsRequired) {
                if (!ext.containsKey("STARTTLS")) {
                    c.quit();
                    throw new HostFailure(new Failure(false, "4.7.4",
                            "TLS is required for this domain but " + mta + " does not offer STARTTLS", mta));
                }
                SmtpReply r = c.command("STARTTLS");
                if (r.code() != 220) {
                    if (tlsRequired) {
                        throw new HostFailure(new Failure(false, "4.7.4", "STARTTLS refused: " + r, mta));
                    }
                } else {
                    SSLSocket tls;
                    try {
                        tls = (SSLSocket) settings.tls().getSocketFactory().createSocket(plain, hostName,
                                address.getPort(), true);
                        tls.setUseClientMode(true);
                        tls.startHandshake();
                    } catch (IOException e) {
                        if (tlsRequired) {
                            throw new HostFailure(new Failure(false, "4.7.5",
                                    "TLS handshake with " + mta + " failed: " + e.getMessage(), mta));
                        }
                        throw new TlsFailure(e);
                    }
                    c = new Conversation(tls);
                    ext = ehlo(c, mta);
                }
            }
            StringBuilder mail = new StringBuilder("MAIL FROM:<")
                    .append(sender.map(MailAddress::toString).orElse("")).append('>');
            if (ext.containsKey("SIZE")) {
                mail.append(" SIZE=").append(content.size());
            }
            SmtpReply r = c.command(mail.toString());
            Map<MailAddress, Optional<Failure>> results = new LinkedHashMap<>();
            if (!r.positive()) {
                Failure f = Failure.fromReply(r, mta);
                for (MailAddress rcpt : recipients) {
                    results.put(rcpt, Optional.of(f));
                }
                c.quit();
                return results;
            }
            List<MailAddress> accepted = new ArrayList<>();
            for (MailAddress rcpt : recipients) {
                r = c.command("RCPT TO:<" + rcpt + ">");
                if (r.positive()) {
                    accepted.add(rcpt);
                } else {
                    results.put(rcpt, Optional.of(Failure.fromReply(r, mta)));
                }
            }
            if (accepted.isEmpty()) {
                c.quit();
                return results;
            }
            r = c.command("DATA");
            if (r.code() != 354) {
                Failure f = Failure.fromReply(r, mta);
                accepted.forEach(a -> results.put(a, Optional.of(f)));
                c.quit();
                return results;
            }
            c.data(content);
            r = c.read();
            Optional<Failure> outcome = r.positive() ? Optional.empty() : Optional.of(Failure.fromReply(r, mta));
            accepted.forEach(a -> results.put(a, outcome));
            try {
                c.quit();
            } catch (IOException e) {
                // The message is accepted; a lost QUIT changes nothing.
            }
            return results;
        } catch (IOException e) {
            throw new HostFailure(new Failure(false, "4.4.1",
                    "451 4.4.1 " + mta + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()), mta));
        }
    }

    /** The opportunistic TLS handshake failed; the caller may try again in plain text. */
    static final class TlsFailure extends Exception {
        private static final long serialVersionUID = 1L;

        TlsFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static Failure temporaryFromHost(SmtpReply reply, String mta) {
        // A refusing greeting or EHLO says nothing final about the recipients: try the next MX.
        return new Failure(false, reply.enhancedCode().map(s -> "4" + s.substring(1)).orElse("4.4.0"),
                reply.toString(), mta);
    }

    private Map<String, String> ehlo(Conversation c, String mta) throws IOException, HostFailure {
        SmtpReply r = c.command("EHLO " + settings.heloName());
        Map<String, String> ext = new LinkedHashMap<>();
        if (r.positive()) {
            for (int i = 1; i < r.lines().size(); i++) {
                String line = r.lines().get(i).strip();
                int sp = line.indexOf(' ');
                String key = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
                ext.put(key, sp < 0 ? "" : line.substring(sp + 1));
            }
            return ext;
        }
        r = c.command("HELO " + settings.heloName());
        if (!r.positive()) {
            throw new HostFailure(temporaryFromHost(r, mta));
        }
        return ext;
    }

    /** The reading and writing on one socket. */
    private static final class Conversation {
        private final InputStream in;
        private final OutputStream out;

        Conversation(Socket socket) throws IOException {
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        SmtpReply command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        }

        void quit() throws IOException {
            command("QUIT");
        }

        SmtpReply read() throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = readLine();
                if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                        || !Character.isDigit(line.charAt(2))) {
                    throw new IOException("malformed reply: " + abbreviate(line));
                }
                int code = Integer.parseInt(line.substring(0, 3));
                boolean more = line.length() > 3 && line.charAt(3) == '-';
                lines.add(line.length() > 4 ? line.substring(4) : "");
                if (!more) {
                    return new SmtpReply(code, lines);
                }
                if (lines.size() > MAX_REPLY_LINES) {
                    throw new IOException("reply of more than " + MAX_REPLY_LINES + " lines");
                }
            }
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.UTF_8);
                }
                if (b.size() >= MAX_LINE) {
                    throw new IOException("reply line too long");
                }
                b.write(c);
            }
        }

        /**
         * Sends the content with dot-stuffing, each line ended by CRLF (a bare LF becomes CRLF),
         * then the terminating {@code .}.
         */
        void data(MessageContent content) throws IOException {
            byte[] buf = new byte[65536];
            int pos = 0;
            boolean lineStart = true;
            boolean lastCr = false;
            try (InputStream src = new BufferedInputStream(content.open())) {
                int c;
                while ((c = src.read()) >= 0) {
                    if (pos > buf.length - 4) {
                        out.write(buf, 0, pos);
                        pos = 0;
                    }
                    if (lineStart && c == '.') {
                        buf[pos++] = '.';
                    }
                    if (c == '\n' && !lastCr) {
                        buf[pos++] = '\r';
                    }
                    buf[pos++] = (byte) c;
                    lineStart = c == '\n';
                    lastCr = c == '\r';
                }
            }
            out.write(buf, 0, pos);
            out.write((lineStart ? ".\r\n" : "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private static String abbreviate(String s) {
            return s.length() > 80 ? s.substring(0, 80) + "..." : s;
        }
    }
}
