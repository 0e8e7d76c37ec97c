package org.postbus.smtp.internal.command;

/** The argument of EHLO and HELO: the client's name or address literal (RFC 5321 4.1.1.1). */
final class HelloName {

    private HelloName() {
    }

    /**
     * The name, or empty if the argument is missing or not one word of printable ASCII. The name
     * is not checked against DNS: many honest clients give names no one can look up.
     */
    static String of(String argument) {
        String name = argument.strip();
        boolean printable = name.chars().allMatch(c -> c > 32 && c < 127);
        return printable ? name : "";
    }
}
