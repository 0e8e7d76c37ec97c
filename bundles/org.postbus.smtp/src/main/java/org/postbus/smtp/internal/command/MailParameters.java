package org.postbus.smtp.internal.command;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.postbus.api.mail.DsnNotify;
import org.postbus.api.mail.DsnReturn;

/**
 * The ESMTP parameters of MAIL FROM that this server offers (RFC 5321 4.1.2 esmtp-param):
 * SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531), AUTH (RFC 4954 5), RET and ENVID
 * (RFC 3461) and REQUIRETLS (RFC 8689). Any other is refused with 555, as RFC 5321 4.1.1.11 asks.
 *
 * @param size the declared size, or -1
 * @param smtputf8 whether SMTPUTF8 was given
 * @param dsnReturn RET, if given
 * @param envelopeId ENVID, xtext-decoded, if given
 * @param requireTls whether REQUIRETLS was given
 */
record MailParameters(long size, boolean smtputf8, Optional<DsnReturn> dsnReturn, Optional<String> envelopeId,
        boolean requireTls) {

    /** No parameters. */
    static final MailParameters NONE = new MailParameters(-1, false, Optional.empty(), Optional.empty(), false);

    /** RFC 3461 4.4: an ENVID is at most 100 characters. */
    static final int MAX_ENVID = 100;

    /** Parses the parameters of MAIL FROM. */
    static MailParameters parse(String text) throws Refusal {
        long size = -1;
        boolean utf8 = false;
        Optional<DsnReturn> ret = Optional.empty();
        Optional<String> envid = Optional.empty();
        boolean requireTls = false;
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
                    requireNoValue(keyword, value);
                    utf8 = true;
                }
                case "REQUIRETLS" -> {
                    requireNoValue(keyword, value);
                    requireTls = true;
                }
                case "RET" -> ret = Optional.of(dsnReturn(value));
                case "ENVID" -> envid = Optional.of(envelopeId(value));
                case "AUTH" -> requireValue(keyword, value);
                default -> throw new Refusal(555, "5.5.4", "MAIL FROM parameter " + keyword + " not recognized");
            }
        }
        return new MailParameters(size, utf8, ret, envid, requireTls);
    }

    private static DsnReturn dsnReturn(String value) throws Refusal {
        requireValue("RET", value);
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "FULL" -> DsnReturn.FULL;
            case "HDRS" -> DsnReturn.HDRS;
            default -> throw new Refusal(501, "5.5.4", "RET must be FULL or HDRS");
        };
    }

    private static String envelopeId(String value) throws Refusal {
        requireValue("ENVID", value);
        if (value.length() > MAX_ENVID) {
            throw new Refusal(501, "5.5.4", "ENVID longer than " + MAX_ENVID + " characters");
        }
        return Xtext.decode(value, "ENVID");
    }

    /**
     * The DSN parameters of RCPT TO (RFC 3461 4.1, 4.2): NOTIFY and ORCPT. Any other is refused
     * with 555.
     *
     * @param notifyOn NOTIFY's values; empty if not given
     * @param originalRecipient ORCPT as {@code addr-type;decoded-address}, if given
     */
    record Recipient(Set<DsnNotify> notifyOn, Optional<String> originalRecipient) {

        /** RFC 3461 4.2: addr-type is an atom. */
        private static final Pattern ADDR_TYPE = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+");

        /** Parses the parameters of RCPT TO. */
        static Recipient parse(String text) throws Refusal {
            Set<DsnNotify> notify = Set.of();
            Optional<String> orcpt = Optional.empty();
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
                    case "NOTIFY" -> notify = notifyOn(value);
                    case "ORCPT" -> orcpt = Optional.of(originalRecipient(value));
                    default -> throw new Refusal(555, "5.5.4", "RCPT TO parameter " + keyword + " not recognized");
                }
            }
            return new Recipient(notify, orcpt);
        }

        private static Set<DsnNotify> notifyOn(String value) throws Refusal {
            requireValue("NOTIFY", value);
            Set<DsnNotify> values = EnumSet.noneOf(DsnNotify.class);
            for (String word : value.split(",", -1)) {
                DsnNotify kind = switch (word.toUpperCase(Locale.ROOT)) {
                    case "NEVER" -> DsnNotify.NEVER;
                    case "SUCCESS" -> DsnNotify.SUCCESS;
                    case "FAILURE" -> DsnNotify.FAILURE;
                    case "DELAY" -> DsnNotify.DELAY;
                    default -> throw new Refusal(501, "5.5.4",
                            "NOTIFY must be NEVER, or one or more of SUCCESS, FAILURE, DELAY separated by commas");
                };
                if (!values.add(kind)) {
                    throw new Refusal(501, "5.5.4", "NOTIFY lists " + kind + " twice");
                }
            }
            if (values.contains(DsnNotify.NEVER) && values.size() > 1) {
                throw new Refusal(501, "5.5.4", "NOTIFY=NEVER cannot be combined with other values");
            }
            return values;
        }

        private static String originalRecipient(String value) throws Refusal {
            requireValue("ORCPT", value);
            int semicolon = value.indexOf(';');
            if (semicolon <= 0 || !ADDR_TYPE.matcher(value.substring(0, semicolon)).matches()) {
                throw new Refusal(501, "5.5.4", "Syntax: ORCPT=addr-type;xtext");
            }
            String address = Xtext.decode(value.substring(semicolon + 1), "ORCPT");
            if (address.isEmpty()) {
                throw new Refusal(501, "5.5.4", "ORCPT has no address");
            }
            return value.substring(0, semicolon) + ";" + address;
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

    private static void requireNoValue(String keyword, String value) throws Refusal {
        if (value != null) {
            throw new Refusal(501, "5.5.4", keyword + " takes no value");
        }
    }

    private static void requireValue(String keyword, String value) throws Refusal {
        if (value == null) {
            throw new Refusal(501, "5.5.4", keyword + " needs a value");
        }
    }
}
