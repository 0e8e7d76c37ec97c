package org.postbus.smtp.internal.command;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The ESMTP parameters of MAIL FROM that this server offers (RFC 5321 4.1.2 esmtp-param):
 * SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531) and AUTH (RFC 4954 5). Any other is
 * refused with 555, as RFC 5321 4.1.1.11 asks.
 *
 * @param size the declared size, or -1
 * @param smtputf8 whether SMTPUTF8 was given
 */
record MailParameters(long size, boolean smtputf8) {

    /** No parameters. */
    static final MailParameters NONE = new MailParameters(-1, false);

    /** Parses the parameters of MAIL FROM. */
    static MailParameters parse(String text) throws Refusal {
        long size = -1;
        boolean utf8 = false;
        Set<String> seen = new HashSet<>();
        for (String parameter : split(text)) {
            int equals = parameter.indexOf('=');
            String keyword = (equals < 0 ? parameter : parameter.substring(0, equals)).toUpperCase(Locale.ROOT);
            String value = equals < 0 ? null : parameter.substring(equals + 1);
            checkSyntax(keyword, value);
            if (!seen.add(keyword)) {
                throw new Refusal(501, "5.5.4", "Duplicate parameter " + keyword);
            }
            switch (keyword) {
                case "SIZE" -> size = size(value);
                case "BODY" -> body(value);
                case "SMTPUTF8" -> {
                    if (value != null) {
                        throw new Refusal(501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    utf8 = true;
                }
                case "AUTH" -> requireValue(keyword, value);
                default -> throw new Refusal(555, "5.5.4", "MAIL FROM parameter " + keyword + " not recognized");
            }
        }
        return new MailParameters(size, utf8);
    }

    /** RCPT TO takes no parameters here: DSN (RFC 3461) is not offered. */
    static void requireNone(String text) throws Refusal {
        String[] parameters = split(text);
        if (parameters.length > 0) {
            String keyword = parameters[0].split("=", 2)[0].toUpperCase(Locale.ROOT);
            throw new Refusal(555, "5.5.4", "RCPT TO parameter " + keyword + " not recognized");
        }
    }

    private static String[] split(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? new String[0] : trimmed.split(" +");
    }

    private static void checkSyntax(String keyword, String value) throws Refusal {
        boolean keywordOk = !keyword.isEmpty() && Character.isLetterOrDigit(keyword.charAt(0))
                && keyword.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-');
        boolean valueOk = value == null || (!value.isEmpty()
                && value.chars().allMatch(c -> (c >= 33 && c <= 126 && c != '=') || c >= 0x80));
        if (!keywordOk || !valueOk) {
            throw new Refusal(501, "5.5.4", "Syntax error in parameters");
        }
    }

    private static long size(String value) throws Refusal {
        requireValue("SIZE", value);
        if (value.length() > 20 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Refusal(501, "5.5.4", "SIZE must be a number");
        }
        // Twenty digits may not fit a long: anything that large is simply too large.
        return value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
    }

    private static void body(String value) throws Refusal {
        requireValue("BODY", value);
        String type = value.toUpperCase(Locale.ROOT);
        if (!type.equals("7BIT") && !type.equals("8BITMIME")) {
            throw new Refusal(501, "5.5.4", "BODY must be 7BIT or 8BITMIME");
        }
    }

    private static void requireValue(String keyword, String value) throws Refusal {
        if (value == null) {
            throw new Refusal(501, "5.5.4", keyword + " needs a value");
        }
    }
}
