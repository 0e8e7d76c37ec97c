package org.postbus.queue.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.postbus.api.mail.MailAddress;
import org.postbus.api.store.MessageContent;

/**
 * Builds delivery status notifications (RFC 3464): a {@code multipart/report} with an
 * explanation for people, a {@code message/delivery-status} part for programs and the original
 * message, whole ({@code message/rfc822}) or its header section only ({@code text/rfc822-headers}).
 */
final class Dsn {

    /** At most this much of the original header section is returned. */
    static final int MAX_HEADERS = 64 * 1024;

    /** The {@code Action} of a recipient's report (RFC 3464 section 2.3.3). */
    enum Action {
        FAILED("failed", "Undelivered Mail Returned to Sender",
                "Your message could not be delivered to one or more recipients.\r\nIt has been given up on; "
                        + "the reasons follow."),
        DELAYED("delayed", "Delayed Mail (still being retried)",
                "Your message could not be delivered yet to one or more recipients.\r\nThe mail system keeps "
                        + "trying; you need not send it again. The reasons so far follow."),
        DELIVERED("delivered", "Successful Mail Delivery Report",
                "Your message was delivered to the following recipients, as you asked to be told."),
        RELAYED("relayed", "Relayed Mail Report",
                "Your message was passed on to the following recipients' mail servers, which do not\r\n"
                        + "send delivery notifications: this is the last report you will get for them.");

        final String field;
        final String subject;
        final String explanation;

        Action(String field, String subject, String explanation) {
            this.field = field;
            this.subject = subject;
            this.explanation = explanation;
        }
    }

    /** One recipient's report. */
    record Line(MailAddress recipient, Optional<String> originalRecipient, Action action, String status,
            String diagnostic, String remoteMta) {
    }

    /**
     * What the notification is about.
     *
     * @param queueId the original's queue id, for the administrator
     * @param envelopeId the {@code ENVID} the sender gave
     * @param arrival when the original arrived
     * @param willRetryUntil for a delay: when the queue gives up
     */
    record Report(String queueId, Optional<String> envelopeId, Instant arrival, Optional<Instant> willRetryUntil,
            List<Line> lines) {
    }

    private Dsn() {
    }

    /**
     * Builds the notification.
     *
     * @param returnFull whether to return the whole original rather than its header section
     */
    static byte[] build(String reportingMta, MailAddress to, Report report, MessageContent original,
            boolean returnFull, Instant now) throws IOException {
        Action main = report.lines().get(0).action();
        String boundary = "=_postbus_dsn_" + UUID.randomUUID();
        StringBuilder m = new StringBuilder();
        line(m, "From: Mail Delivery System <MAILER-DAEMON@" + reportingMta + ">");
        line(m, "To: <" + to + ">");
        line(m, "Subject: " + main.subject);
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
        line(m, main.explanation);
        line(m, "");
        for (Line r : report.lines()) {
            line(m, "<" + r.recipient() + ">: " + (r.diagnostic().isEmpty() ? r.action().field : oneLine(r.diagnostic())));
        }
        line(m, "");
        line(m, "--" + boundary);
        line(m, "Content-Type: message/delivery-status");
        line(m, "Content-Description: Delivery report");
        line(m, "");
        report.envelopeId().ifPresent(id -> line(m, "Original-Envelope-Id: " + oneLine(id)));
        line(m, "Reporting-MTA: dns; " + reportingMta);
        line(m, "X-Postbus-Queue-ID: " + report.queueId());
        line(m, "Arrival-Date: " + date(report.arrival()));
        for (Line r : report.lines()) {
            line(m, "");
            r.originalRecipient().ifPresent(o -> line(m, "Original-Recipient: " + originalRecipient(o)));
            line(m, "Final-Recipient: rfc822; " + r.recipient());
            line(m, "Action: " + r.action().field);
            line(m, "Status: " + status(r));
            if (!r.remoteMta().isEmpty()) {
                line(m, "Remote-MTA: dns; " + r.remoteMta().replaceAll(" \\[.*\\]$", ""));
            }
            if (!r.diagnostic().isEmpty()) {
                boolean smtp = Character.isDigit(r.diagnostic().charAt(0));
                line(m, "Diagnostic-Code: " + (smtp ? "smtp; " : "x-postbus; ") + oneLine(r.diagnostic()));
            }
            line(m, "Last-Attempt-Date: " + date(now));
            if (r.action() == Action.DELAYED) {
                report.willRetryUntil().ifPresent(t -> line(m, "Will-Retry-Until: " + date(t)));
            }
        }
        line(m, "");
        line(m, "--" + boundary);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (returnFull) {
            line(m, "Content-Type: message/rfc822");
            line(m, "Content-Description: Undelivered message");
            line(m, "");
            out.write(m.toString().getBytes(StandardCharsets.UTF_8));
            try (InputStream in = original.open()) {
                byte[] body = in.readAllBytes();
                out.write(body);
                if (body.length > 0 && body[body.length - 1] != '\n') {
                    out.write('\r');
                    out.write('\n');
                }
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            line(m, "Content-Type: text/rfc822-headers");
            line(m, "Content-Description: " + (main == Action.FAILED ? "Undelivered" : "Original") + " message headers");
            line(m, "");
            out.write(m.toString().getBytes(StandardCharsets.UTF_8));
            try (InputStream in = original.open()) {
                out.write(headers(in));
            }
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static String status(Line r) {
        if (!r.status().isEmpty()) {
            return r.status();
        }
        return switch (r.action()) {
            case FAILED -> "5.0.0";
            case DELAYED -> "4.0.0";
            case DELIVERED, RELAYED -> "2.0.0";
        };
    }

    /** {@code rfc822;bob@example.org} as {@code rfc822; bob@example.org}; a bare address as rfc822. */
    private static String originalRecipient(String orcpt) {
        int semi = orcpt.indexOf(';');
        return semi < 0 ? "rfc822; " + oneLine(orcpt)
                : orcpt.substring(0, semi).strip() + "; " + oneLine(orcpt.substring(semi + 1).strip());
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
