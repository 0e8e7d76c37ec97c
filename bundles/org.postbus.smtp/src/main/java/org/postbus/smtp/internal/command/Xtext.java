package org.postbus.smtp.internal.command;

/**
 * xtext (RFC 3461 section 4): printable ASCII except {@code +} and {@code =}, with any other
 * octet written {@code +XX} in upper-case hexadecimal.
 */
final class Xtext {

    private Xtext() {
    }

    /**
     * Decodes xtext.
     *
     * @throws Refusal 501 5.5.4 naming {@code parameter} if it is not xtext
     */
    static String decode(String text, String parameter) throws Refusal {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                if (i + 2 >= text.length() || !hex(text.charAt(i + 1)) || !hex(text.charAt(i + 2))) {
                    throw new Refusal(501, "5.5.4", parameter + " is not valid xtext (+ must be followed by two"
                            + " upper-case hex digits)");
                }
                out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c >= 33 && c <= 126 && c != '=') {
                out.append(c);
            } else {
                throw new Refusal(501, "5.5.4", parameter + " is not valid xtext");
            }
        }
        return out.toString();
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
