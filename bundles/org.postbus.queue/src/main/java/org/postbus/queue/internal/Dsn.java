package org.postbus.queue.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.postbus.api.mail.MailAddress;

/**
 * Builds a bounce as an RFC 3464 delivery status notification: a {@code multipart/report} with an
 * explanation for people, a {@code message/delivery-status} part for programs and the original
 * header section as {@code text/rfc822-headers}.
 */
final class Dsn {

    /** At most this much of the original header section is returned. */
    static final int MAX_HEADERS = 64 * 1024;

    private Dsn() {
    }

    static byte[] build(String reportingMta, Envelope original, MailAddress to, List<Envelope.Recipient> failed,
            InputStream originalContent, Instant now) throws IOException {
        String boundary = "=_postbus_dsn_" + UUID.randomUUID();
        StringBuilder m = new StringBuilder();
        line(m, "From: Mail Delivery System <MAILER-DAEMON@" + reportingMta + ">");
        line(m, "To: <" + to + ">");
        line(m, "Subject: Undelivered Mail Returned to Sender");
        line(m, "Date: " + date(now));
        line(m, "Message-ID: <" + UUID.randomUUID() + ".dsn@" + reportingMta + ">");
        line(m, "Auto-Submitted: auto-replied");
        line(m, "MIME-Version: 1.0");
        line(m, "Content-Type: multipart/report; report-type=delivery-status;");
        line(m, "\tboundary=\"" + boundary + "\"");
        line(m, "");
        line(m, "This is a MIME-encapsulated message.");
        line(m, "");
        line(m, "--" + boundary);
        line(m, "Content-Type: text/plain; charset=utf-8");
        line(m, "Content-Description: Notification");
        line(m, "");
        line(m, "This is the mail system at " + reportingMta + ".");
        line(m, "");
        line(m, "Your message could not be delivered to one or more recipients.");
        line(m, "It has been given up on; the reasons follow.");
        line(m, "");
        for (Envelope.Recipient r : failed) {
            line(m, "<" + r.address + ">: " + r.diagnostic);
        }
        line(m, "");
        line(m, "--" + boundary);
        line(m, "Content-Type: message/delivery-status");
        line(m, "Content-Description: Delivery report");
        line(m, "");
        line(m, "Reporting-MTA: dns; " + reportingMta);
        line(m, "X-Postbus-Queue-ID: " + original.id);
        line(m, "Arrival-Date: " + date(original.queued));
        for (Envelope.Recipient r : failed) {
            line(m, "");
            line(m, "Final-Recipient: rfc822; " + r.address);
            line(m, "Action: failed");
            line(m, "Status: " + (r.status.isEmpty() ? "5.0.0" : r.status));
            if (!r.remoteMta.isEmpty()) {
                line(m, "Remote-MTA: dns; " + r.remoteMta.replaceAll(" \\[.*\\]$", ""));
            }
            boolean smtp = !r.diagnostic.isEmpty() && Character.isDigit(r.diagnostic.charAt(0));
            line(m, "Diagnostic-Code: " + (smtp ? "smtp; " : "x-postbus; ") + oneLine(r.diagnostic));
            line(m, "Last-Attempt-Date: " + date(now));
        }
        line(m, "");
        line(m, "--" + boundary);
        line(m, "Content-Type: text/rfc822-headers");
        line(m, "Content-Description: Undelivered message headers");
        line(m, "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(m.toString().getBytes(StandardCharsets.UTF_8));
        out.write(headers(originalContent));
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The header section up to the empty line (exclusive), cut at {@link #MAX_HEADERS}, CRLF ended. */
    static byte[] headers(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && out.size() < MAX_HEADERS) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                if (len == 0) {
                    break;
                }
                out.write(b, 0, len);
                out.write('\r');
                out.write('\n');
                line.reset();
            } else {
                line.write(c);
            }
        }
        return out.toByteArray();
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    private static String date(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atZone(ZoneOffset.UTC));
    }

    private static void line(StringBuilder b, String s) {
        b.append(s).append("\r\n");
    }
}
