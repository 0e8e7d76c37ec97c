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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.postbus.api.mail.DsnNotify;
import org.postbus.api.mail.DsnReturn;
import org.postbus.api.mail.EnvelopeRecipient;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MessageContent;

/**
 * SMTP client connections (RFC 5321): EHLO (HELO if refused), STARTTLS or implicit TLS, AUTH,
 * then any number of mail transactions on the same connection (RSET between them), with MAIL
 * and RCPT pipelined when the server offers PIPELINING (RFC 2920), and the DSN (RFC 3461),
 * REQUIRETLS (RFC 8689) and SMTPUTF8 (RFC 6531) parameters passed on when the server offers them.
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

    /** The opportunistic TLS handshake failed; the caller may try again in plain text. */
    static final class TlsFailure extends Exception {
        private static final long serialVersionUID = 1L;

        TlsFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** How much TLS a connection needs. */
    enum TlsPolicy {
        /** Plain text only (after a failed opportunistic handshake with this host). */
        NONE,
        /** STARTTLS when offered, any certificate; a failed handshake is a {@link TlsFailure}. */
        OPPORTUNISTIC,
        /** STARTTLS or no delivery, any certificate (a domain configured to require TLS). */
        REQUIRED,
        /** STARTTLS or no delivery, with a certificate chain and host name that verify. */
        VERIFIED
    }

    /**
     * Settings of every connection.
     *
     * @param verifying made when a connection first needs it (see {@link OnFirstUse})
     */
    record Settings(String heloName, int connectTimeoutMillis, int commandTimeoutMillis, SSLContext opportunistic,
            Supplier<SSLContext> verifying) {
    }

    /** One message on one connection, with the envelope parameters to pass on. */
    record Transaction(Optional<MailAddress> sender, List<EnvelopeRecipient> recipients, MessageContent content,
            Optional<DsnReturn> dsnReturn, Optional<String> envelopeId, boolean requireTls, boolean smtpUtf8) {
    }

    private static final int MAX_LINE = 4096;
    private static final int MAX_REPLY_LINES = 100;

    private final Settings settings;

    SmtpClient(Settings settings) {
        this.settings = settings;
    }

    /**
     * Opens a connection and says hello.
     *
     * @param hostName the server's name, for messages, SNI and (when verified) the certificate check
     * @param address where to connect
     * @param policy how much TLS is needed
     * @param implicit whether TLS starts at once (port 465 style) rather than by STARTTLS
     * @throws HostFailure when this host cannot be used
     * @throws TlsFailure when an opportunistic handshake failed (try again with {@link TlsPolicy#NONE})
     */
    Connection connect(String hostName, InetSocketAddress address, TlsPolicy policy, boolean implicit)
            throws HostFailure, TlsFailure {
        String mta = hostName + " [" + address.getAddress().getHostAddress() + "]";
        Socket plain = new Socket();
        boolean ok = false;
        try {
            plain.connect(address, settings.connectTimeoutMillis());
            plain.setSoTimeout(settings.commandTimeoutMillis());
            Connection c;
            if (implicit) {
                SSLSocket tls = handshake(plain, hostName, address.getPort(), policy, mta);
                c = new Connection(tls, hostName, mta, true, policy == TlsPolicy.VERIFIED);
            } else {
                c = new Connection(plain, hostName, mta, false, false);
            }
            SmtpReply greeting = c.read();
            if (!greeting.positive()) {
                throw new HostFailure(temporaryFromHost(greeting, mta));
            }
            c.ehlo();
            if (!implicit && policy != TlsPolicy.NONE) {
                boolean needed = policy != TlsPolicy.OPPORTUNISTIC;
                if (c.advertises("STARTTLS")) {
                    SmtpReply r = c.command("STARTTLS");
                    if (r.code() == 220) {
                        SSLSocket tls;
                        try {
                            tls = handshake(plain, hostName, address.getPort(), policy, mta);
                        } catch (HostFailure f) {
                            if (!needed) {
                                throw new TlsFailure(new IOException(f.getMessage()));
                            }
                            throw f;
                        }
                        c = new Connection(tls, hostName, mta, true, policy == TlsPolicy.VERIFIED);
                        c.ehlo();
                    } else if (needed) {
                        c.quitQuietly();
                        throw new HostFailure(new Failure(false, "4.7.4", "STARTTLS refused by " + mta + ": " + r, mta));
                    }
                } else if (needed) {
                    c.quitQuietly();
                    throw new HostFailure(new Failure(false, "4.7.4",
                            "TLS is required but " + mta + " does not offer STARTTLS", mta));
                }
            }
            ok = true;
            return c;
        } catch (IOException e) {
            throw new HostFailure(ioFailure(mta, e));
        } finally {
            if (!ok) {
                closeQuietly(plain);
            }
        }
    }

    private SSLSocket handshake(Socket plain, String hostName, int port, TlsPolicy policy, String mta)
            throws HostFailure {
        boolean verify = policy == TlsPolicy.VERIFIED;
        SSLContext context;
        try {
            context = verify ? settings.verifying().get() : settings.opportunistic();
        } catch (IllegalStateException e) {
            // The trust store, read at first use, could not be: a temporary failure like any other.
            throw new HostFailure(new Failure(false, "4.7.5", "cannot verify the certificate of " + mta + ": "
                    + e.getMessage(), mta));
        }
        try {
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, hostName, port, true);
            tls.setUseClientMode(true);
            if (verify) {
                // The certificate must name the host we meant to reach (RFC 8689, RFC 8461, RFC 6125).
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(p);
            }
            tls.startHandshake();
            return tls;
        } catch (IOException e) {
            throw new HostFailure(new Failure(false, "4.7.5",
                    "TLS handshake with " + mta + " failed: " + e.getMessage(), mta));
        }
    }

    static Failure ioFailure(String mta, IOException e) {
        return new Failure(false, "4.4.1", "451 4.4.1 " + mta + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), mta);
    }

    private static Failure temporaryFromHost(SmtpReply reply, String mta) {
        // A refusing greeting or EHLO says nothing final about the recipients: try the next MX.
        return new Failure(false, reply.enhancedCode().map(s -> "4" + s.substring(1)).orElse("4.4.0"),
                reply.toString(), mta);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    /** RFC 3461 section 4: xtext, with {@code +}, {@code =}, controls and non-ASCII as {@code +HH}. */
    static String xtext(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                b.append('+').append(String.format("%02X", c));
            } else {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }

    /** One open connection, reusable for several transactions. */
    final class Connection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        final String hostName;
        final String mta;
        final boolean secure;
        final boolean verified;
        private Map<String, String> ext = Map.of();
        private boolean used;
        private boolean broken;

        Connection(Socket socket, String hostName, String mta, boolean secure, boolean verified) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
            this.hostName = hostName;
            this.mta = mta;
            this.secure = secure;
            this.verified = verified;
        }

        boolean advertises(String keyword) {
            return ext.containsKey(keyword);
        }

        /** Whether another transaction may use it. */
        boolean reusable() {
            return !broken && !socket.isClosed();
        }

        private void ehlo() throws IOException, HostFailure {
            SmtpReply r = command("EHLO " + settings.heloName());
            Map<String, String> found = new LinkedHashMap<>();
            if (r.positive()) {
                for (int i = 1; i < r.lines().size(); i++) {
                    String line = r.lines().get(i).strip();
                    int sp = line.indexOf(' ');
                    String key = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
                    found.put(key, sp < 0 ? "" : line.substring(sp + 1));
                }
                ext = found;
                return;
            }
            r = command("HELO " + settings.heloName());
            if (!r.positive()) {
                throw new HostFailure(temporaryFromHost(r, mta));
            }
            ext = found;
        }

        /**
         * Authenticates with PLAIN, or LOGIN when only that is offered (RFC 4954). A refusal is
         * temporary: a wrong password is the administrator's to fix, not the sender's.
         */
        void authenticate(String username, String password) throws HostFailure {
            String mechanisms = " " + ext.getOrDefault("AUTH", "").toUpperCase(Locale.ROOT) + " ";
            Base64.Encoder b64 = Base64.getEncoder();
            try {
                SmtpReply r;
                if (mechanisms.contains(" PLAIN ")) {
                    r = command("AUTH PLAIN " + b64.encodeToString(("\0" + username + "\0" + password)
                            .getBytes(StandardCharsets.UTF_8)));
                } else if (mechanisms.contains(" LOGIN ")) {
                    r = command("AUTH LOGIN");
                    if (r.code() == 334) {
                        r = command(b64.encodeToString(username.getBytes(StandardCharsets.UTF_8)));
                    }
                    if (r.code() == 334) {
                        r = command(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)));
                    }
                } else {
                    throw new HostFailure(new Failure(false, "4.7.0",
                            mta + " offers neither AUTH PLAIN nor AUTH LOGIN" + (secure ? "" : " without TLS"), mta));
                }
                if (r.code() != 235) {
                    throw new HostFailure(new Failure(false, "4.7.0", "authentication at " + mta + " failed: " + r,
                            mta));
                }
            } catch (IOException e) {
                broken = true;
                throw new HostFailure(ioFailure(mta, e));
            }
        }

        /**
         * Runs one mail transaction.
         *
         * @return per recipient: empty when accepted, else the failure
         * @throws HostFailure when nothing was delivered for a reason tied to this connection
         */
        Map<MailAddress, Optional<Failure>> send(Transaction t) throws HostFailure {
            if (t.requireTls() && !(verified && advertises("REQUIRETLS"))) {
                throw new HostFailure(new Failure(true, "5.7.10", "550 5.7.10 REQUIRETLS needed: " + mta
                        + (verified ? " does not offer REQUIRETLS" : " has no verified TLS"), mta));
            }
            boolean utf8 = t.smtpUtf8() && advertises("SMTPUTF8");
            if (!utf8 && !(ascii(t.sender().map(MailAddress::toString).orElse(""))
                    && t.recipients().stream().allMatch(r -> ascii(r.address().toString())))) {
                throw new HostFailure(new Failure(true, "5.6.7",
                        "553 5.6.7 " + mta + " does not offer SMTPUTF8, needed for these addresses", mta));
            }
            boolean dsn = advertises("DSN");
            try {
                if (used) {
                    SmtpReply reset = command("RSET");
                    if (!reset.positive()) {
                        broken = true;
                        throw new HostFailure(temporaryFromHost(reset, mta));
                    }
                }
                used = true;
                StringBuilder mail = new StringBuilder("MAIL FROM:<")
                        .append(t.sender().map(MailAddress::toString).orElse("")).append('>');
                if (advertises("SIZE")) {
                    mail.append(" SIZE=").append(t.content().size());
                }
                if (dsn) {
                    t.dsnReturn().ifPresent(r -> mail.append(" RET=").append(r.name()));
                    t.envelopeId().ifPresent(e -> mail.append(" ENVID=").append(xtext(e)));
                }
                if (t.requireTls()) {
                    mail.append(" REQUIRETLS");
                }
                if (utf8) {
                    mail.append(" SMTPUTF8");
                }
                List<String> rcptCommands = new ArrayList<>();
                for (EnvelopeRecipient r : t.recipients()) {
                    StringBuilder rcpt = new StringBuilder("RCPT TO:<").append(r.address()).append('>');
                    if (dsn && !r.notifyOn().isEmpty()) {
                        rcpt.append(" NOTIFY=").append(String.join(",",
                                r.notifyOn().stream().sorted().map(DsnNotify::name).toList()));
                    }
                    if (dsn) {
                        r.originalRecipient().ifPresent(o -> {
                            int semi = o.indexOf(';');
                            rcpt.append(" ORCPT=").append(semi < 0 ? "rfc822;" + xtext(o)
                                    : o.substring(0, semi) + ";" + xtext(o.substring(semi + 1)));
                        });
                    }
                    rcptCommands.add(rcpt.toString());
                }
                SmtpReply mailReply;
                List<SmtpReply> rcptReplies = new ArrayList<>();
                if (advertises("PIPELINING")) {
                    // RFC 2920: MAIL and the RCPTs go as one group; the replies come back in order.
                    StringBuilder group = new StringBuilder(mail).append("\r\n");
                    rcptCommands.forEach(c -> group.append(c).append("\r\n"));
                    out.write(group.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    mailReply = read();
                    for (int i = 0; i < rcptCommands.size(); i++) {
                        rcptReplies.add(read());
                    }
                } else {
                    mailReply = command(mail.toString());
                    if (mailReply.positive()) {
                        for (String c : rcptCommands) {
                            rcptReplies.add(command(c));
                        }
                    }
                }
                Map<MailAddress, Optional<Failure>> results = new LinkedHashMap<>();
                if (!mailReply.positive()) {
                    Failure f = Failure.fromReply(mailReply, mta);
                    t.recipients().forEach(r -> results.put(r.address(), Optional.of(f)));
                    return results;
                }
                List<MailAddress> accepted = new ArrayList<>();
                for (int i = 0; i < t.recipients().size(); i++) {
                    MailAddress a = t.recipients().get(i).address();
                    SmtpReply r = rcptReplies.get(i);
                    if (r.positive()) {
                        accepted.add(a);
                    } else {
                        results.put(a, Optional.of(Failure.fromReply(r, mta)));
                    }
                }
                if (accepted.isEmpty()) {
                    return results;
                }
                SmtpReply r = command("DATA");
                if (r.code() != 354) {
                    Failure f = Failure.fromReply(r, mta);
                    accepted.forEach(a -> results.put(a, Optional.of(f)));
                    return results;
                }
                data(t.content());
                r = read();
                Optional<Failure> outcome = r.positive() ? Optional.empty() : Optional.of(Failure.fromReply(r, mta));
                accepted.forEach(a -> results.put(a, outcome));
                return results;
            } catch (IOException e) {
                broken = true;
                throw new HostFailure(ioFailure(mta, e));
            }
        }

        /** Says goodbye and closes; errors no longer matter here. */
        @Override
        public void close() {
            if (!broken && !socket.isClosed()) {
                quitQuietly();
            }
            closeQuietly(socket);
        }

        private void quitQuietly() {
            try {
                socket.setSoTimeout(Math.min(settings.commandTimeoutMillis(), 5000));
                command("QUIT");
            } catch (IOException e) {
                // The server may already be gone; the connection ends either way.
            }
        }

        SmtpReply command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
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
        private void data(MessageContent content) throws IOException {
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
