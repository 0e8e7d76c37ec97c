package org.postbus.smtp.internal.command;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.postbus.api.mail.MailAddress;

/**
 * Reads the path of MAIL FROM and RCPT TO (RFC 5321 4.1.2): {@code <local@domain>}, a source
 * route to ignore ({@code <@relay:local@domain>}), the null path {@code <>}, and the parameters
 * after it. UTF-8 in the address only in an SMTPUTF8 transaction (RFC 6531 3.3).
 */
final class PathParser {

    /** A path and what followed it. */
    record Path(Optional<MailAddress> address, boolean postmaster, String parameters) {
    }

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("(?i)IPv6:[0-9a-f:.]{2,45}");
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 255;

    private PathParser() {
    }

    /**
     * Parses {@code text}, which starts at the {@code <}.
     *
     * @param utf8 whether UTF-8 addresses are allowed
     * @param badSyntax the enhanced status for a malformed address: 5.1.7 sender, 5.1.3 recipient
     */
    static Path parse(String text, boolean utf8, String badSyntax) throws Refusal {
        if (!text.startsWith("<")) {
            throw new Refusal(501, "5.5.4", "Syntax error: the address must be in angle brackets");
        }
        int end = closingBracket(text);
        if (end < 0 || (end + 1 < text.length() && text.charAt(end + 1) != ' ')) {
            throw new Refusal(501, "5.5.4", "Syntax error in the path");
        }
        String parameters = text.substring(end + 1).strip();
        String inside = withoutSourceRoute(text.substring(1, end), badSyntax);
        if (inside.isEmpty()) {
            return new Path(Optional.empty(), false, parameters);
        }
        if (inside.equalsIgnoreCase("postmaster")) {
            return new Path(Optional.empty(), true, parameters);
        }
        return new Path(Optional.of(mailbox(inside, utf8, badSyntax)), false, parameters);
    }

    private static int closingBracket(String text) {
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '>') {
                return i;
            }
        }
        return -1;
    }

    /** RFC 5321 4.1.2 and C: a source route is accepted and ignored. */
    private static String withoutSourceRoute(String path, String badSyntax) throws Refusal {
        if (!path.startsWith("@")) {
            return path;
        }
        int colon = path.indexOf(':');
        if (colon < 0) {
            throw bad(badSyntax);
        }
        for (String hop : path.substring(0, colon).split(",", -1)) {
            if (!hop.startsWith("@") || !isDomain(hop.substring(1), false)) {
                throw bad(badSyntax);
            }
        }
        return path.substring(colon + 1);
    }

    private static MailAddress mailbox(String text, boolean utf8, String badSyntax) throws Refusal {
        int at = text.startsWith("\"") ? closingQuote(text) + 1 : text.indexOf('@');
        if (at <= 0 || at >= text.length() - 1 || text.charAt(at) != '@') {
            throw bad(badSyntax);
        }
        String local = text.substring(0, at);
        String domain = text.substring(at + 1);
        if (!utf8 && !isAscii(text)) {
            throw new Refusal(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");
        }
        boolean localOk = local.startsWith("\"") ? isQuotedString(local) : isDotString(local);
        if (!localOk || !(isDomain(domain, utf8) || isAddressLiteral(domain))) {
            throw bad(badSyntax);
        }
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_PART || domain.length() > MAX_DOMAIN) {
            throw new Refusal(501, badSyntax, "Address too long");
        }
        try {
            return new MailAddress(local, domain);
        } catch (IllegalArgumentException e) {
            throw new Refusal(501, badSyntax, "Address too long");
        }
    }

    private static int closingQuote(String text) {
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -2;
    }

    private static boolean isDotString(String local) {
        if (local.isEmpty() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        return local.chars().allMatch(c -> c == '.' || isAtext(c));
    }

    private static boolean isAtext(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || ATEXT_SPECIALS.indexOf(c) >= 0 || c >= 0x80;
    }

    /** RFC 5321 4.1.2: qtextSMTP and quoted-pairSMTP between double quotes. */
    private static boolean isQuotedString(String local) {
        if (local.length() < 2 || !local.endsWith("\"")) {
            return false;
        }
        for (int i = 1; i < local.length() - 1; i++) {
            char c = local.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= local.length() - 1 || local.charAt(i) < 32 || local.charAt(i) > 126) {
                    return false;
                }
            } else if (c == '"' || (c < 32) || c == 127) {
                return false;
            }
        }
        return true;
    }

    /** RFC 5321 4.1.2 Domain; with SMTPUTF8, U-labels too (RFC 6531 3.3). */
    static boolean isDomain(String domain, boolean utf8) {
        if (domain.isEmpty() || domain.length() > MAX_DOMAIN) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ldh = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ldh && !(utf8 && c >= 0x80)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** RFC 5321 4.1.3: {@code [192.0.2.1]}, {@code [IPv6:...]} or a general literal. */
    private static boolean isAddressLiteral(String domain) {
        if (domain.length() < 3 || domain.charAt(0) != '[' || domain.charAt(domain.length() - 1) != ']') {
            return false;
        }
        String inside = domain.substring(1, domain.length() - 1);
        if (IPV4.matcher(inside).matches() || IPV6.matcher(inside).matches()) {
            return true;
        }
        int colon = inside.indexOf(':');
        return colon > 0 && isDomain(inside.substring(0, colon), false)
                && inside.substring(colon + 1).chars().allMatch(c -> c >= 33 && c <= 126 && c != '[' && c != ']' && c != '\\');
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    private static Refusal bad(String status) {
        return new Refusal(501, status, "Syntax error in the address");
    }
}
