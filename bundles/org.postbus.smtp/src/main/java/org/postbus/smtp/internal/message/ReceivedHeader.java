package org.postbus.smtp.internal.message;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.postbus.api.mail.MailAddress;

/**
 * The {@code Received:} trace field this server prepends to every message (RFC 5321 4.4):
 * <pre>
 * Received: from client.example ([192.0.2.1])
 *         by mx.example.org (Postbus) with ESMTPSA id 01HX...
 *         for &lt;rcpt@example.org&gt;; Tue, 1 Dec 2026 10:00:00 +0100
 * </pre>
 * The client's address is given as a literal, not looked up. The {@code for} clause names the
 * recipient only when there is exactly one, so that a copy does not reveal the others.
 */
public final class ReceivedHeader {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private ReceivedHeader() {
    }

    /**
     * The field, folded, ending in CRLF.
     *
     * @param helo the name the client gave
     * @param client the client's address
     * @param hostname this server's name
     * @param protocol the "with" keyword, such as {@code ESMTPS} (see {@link #protocol})
     * @param id the transaction's identifier
     * @param recipient the single recipient, if there is exactly one
     * @param time when the message arrived
     */
    public static byte[] of(String helo, InetAddress client, String hostname, String protocol, String id,
            Optional<MailAddress> recipient, ZonedDateTime time) {
        StringBuilder field = new StringBuilder(200)
                .append("Received: from ").append(clean(helo)).append(" (").append(literal(client)).append(")\r\n")
                .append("\tby ").append(clean(hostname)).append(" (Postbus) with ").append(protocol)
                .append(" id ").append(id);
        recipient.ifPresent(r -> field.append("\r\n\tfor <").append(r).append('>'));
        field.append(";\r\n\t").append(DATE.format(time)).append("\r\n");
        return field.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The protocol keyword of RFC 3848 and RFC 6531: SMTP after HELO; ESMTP, with S for TLS and A
     * for an authenticated client; UTF8SMTP instead of ESMTP for an SMTPUTF8 transaction.
     */
    public static String protocol(boolean extended, boolean utf8, boolean secure, boolean authenticated) {
        if (!extended) {
            return "SMTP";
        }
        return (utf8 ? "UTF8SMTP" : "ESMTP") + (secure ? "S" : "") + (authenticated ? "A" : "");
    }

    /** The address literal of RFC 5321 4.1.3: {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}. */
    public static String literal(InetAddress address) {
        String host = address.getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        return address instanceof Inet6Address ? "[IPv6:" + host + "]" : "[" + host + "]";
    }

    /** The client chose its HELO name: keep it from breaking the field's syntax. */
    private static String clean(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length() && out.length() < 255; i++) {
            char c = name.charAt(i);
            boolean safe = c > ' ' && c < 127 && c != '(' && c != ')' && c != ';' && c != '\\' && c != '"';
            out.append(safe ? c : '?');
        }
        return out.length() == 0 ? "unknown" : out.toString();
    }
}
